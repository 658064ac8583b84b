/**
 * Reliability: 200 open tabs get one edit's manifest each; then half of them drop out
 * without a goodbye (terminated sockets) and the rest still get the next update, while the
 * server forgets the dead ones.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServer, type DevServer } from '../../server.js';
import { HMR_PATH, HMR_SUBPROTOCOL } from '../../../shared/constants.js';
import type { ServerMessage } from '../../../shared/protocol.js';

const TABS = 200;
let root: string;
let server: DevServer;
let base: string;
let token: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-many-tabs-'));
  await fs.mkdir(path.join(root, 'src'));
  await fs.writeFile(path.join(root, 'index.html'), '<script type="module" src="/src/main.ts"></script>');
  await fs.writeFile(path.join(root, 'src/main.ts'), 'export const n = 0;\n');
  server = await createServer({ root, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls!.local[0];
  token = /"token":"([^"]+)"/.exec(await (await fetch(base)).text())![1];
  await fetch(`${base}@devserver/graph?entry=/src/main.ts`);
});
afterAll(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

function openTab(): Promise<{ ws: WebSocket; nextUpdate: () => Promise<ServerMessage> }> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}${HMR_PATH.slice(1)}?token=${token}`, HMR_SUBPROTOCOL, { headers: { Origin: base.slice(0, -1) } });
  const updates: ServerMessage[] = [];
  let wake: (() => void) | null = null;
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    if (message.type === 'update') updates.push(message);
    wake?.();
  });
  const nextUpdate = async () => {
    while (!updates.length) await new Promise<void>((resolve) => (wake = resolve));
    return updates.shift()!;
  };
  return new Promise((resolve, reject) => ws.once('open', () => resolve({ ws, nextUpdate })).once('error', reject));
}

describe('many tabs', () => {
  it('delivers one update to 200 tabs, survives half of them dying, and keeps serving the rest', async () => {
    const tabs = await Promise.all(Array.from({ length: TABS }, openTab));
    expect(server.hot.clients.size).toBe(TABS);
    await fs.writeFile(path.join(root, 'src/main.ts'), 'export const n = 1;\n');
    const first = await Promise.all(tabs.map((t) => t.nextUpdate()));
    expect(new Set(first.map((m) => m.type === 'update' && m.seq))).toEqual(new Set([1]));

    const [dying, living] = [tabs.slice(0, TABS / 2), tabs.slice(TABS / 2)];
    const gone = dying.map((t) => new Promise((resolve) => t.ws.once('close', resolve)));
    dying.forEach((t) => t.ws.terminate());
    await Promise.all(gone);
    await fs.writeFile(path.join(root, 'src/main.ts'), 'export const n = 2;\n');
    const second = await Promise.all(living.map((t) => t.nextUpdate()));
    expect(second.every((m) => m.type === 'update' && m.seq === 2)).toBe(true);
    expect(server.hot.clients.size).toBe(TABS / 2);
    living.forEach((t) => t.ws.close());
  }, 30_000);
});

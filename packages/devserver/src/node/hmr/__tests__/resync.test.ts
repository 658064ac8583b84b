/**
 * How open tabs get back in sync after the ground moved under them (hmr-spec.md 1.4, 4, 5),
 * found by the playground/hmr e2e tests and pinned here without a browser:
 * - a deleted file created again with new content: tabs still run the old module (their
 *   importer never changed), so the re-created module itself must be in the manifest;
 * - a restart in place keeps the websocket token, so tabs of the previous instance can
 *   reconnect, learn the new build id and reload (a new token refused them with 401);
 * - a file written again while it is being read (the next `fs.writeFile` of a burst
 *   truncated it) is not sent as read: tabs ran an empty module and reloaded.
 */
import { writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HMR_PATH, HMR_SUBPROTOCOL } from '../../../shared/constants.js';
import type { ServerMessage } from '../../../shared/protocol.js';
import { createServer, type DevServer } from '../../server.js';
import { openFakeTab } from '../../__tests__/fakeTab.js';

let root: string;
let server: DevServer;
let base: string;
/** Set by a test: runs when the server next reads src/dep.ts (a plugin load hook). */
let onReadDep: (() => void) | null = null;

async function write(rel: string, content: string) {
  await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await fs.writeFile(path.join(root, rel), content);
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-resync-'));
  await write('index.html', '<!doctype html><script type="module" src="/src/main.ts"></script>');
  await write('src/main.ts', "import { value } from './dep';\nexport const out = value;\n");
  await write('src/dep.ts', 'export const value: number = 1;\n');
  onReadDep = null;
  const readHook = {
    name: 'read-hook',
    load(id: string) {
      if (!id.endsWith(path.join('src', 'dep.ts')) || !onReadDep) return null;
      const run = onReadDep;
      onReadDep = null;
      run();
      return null; // the file is read from disk, after `run` touched it
    },
  };
  server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [readHook],
    server: { port: 0, host: '127.0.0.1' },
  });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});

afterEach(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

it('sends a deleted module again when its file comes back with other content', async () => {
  const tab = await openFakeTab(base);
  await fs.rm(path.join(root, 'src/dep.ts'));
  expect(await tab.next('update')).toMatchObject({ removed: ['/src/dep.ts'] });
  await write('src/dep.ts', 'export const value: number = 2;\n');
  expect(await tab.next('error-cleared')).toMatchObject({ id: '/src/main.ts' });
  const update = await tab.next('update');
  expect(update).toMatchObject({ changed: [{ id: '/src/dep.ts', kind: 'js' }], removed: [] });
  const modules = await (await fetch(`${base}@devserver/modules?ids=/src/dep.ts`)).json();
  expect(update.type === 'update' && update.changed[0].hash).toBe(modules.modules[0].hash);
  expect(modules.modules[0].code).toContain('value = 2');
  tab.ws.close();
});

it('sends nothing for a deleted module that comes back unchanged (tabs run that version)', async () => {
  const tab = await openFakeTab(base);
  await fs.rm(path.join(root, 'src/dep.ts'));
  await tab.next('update');
  await write('src/dep.ts', 'export const value: number = 1;\n');
  await tab.next('error-cleared');
  await server.waitForIdle();
  // The next real change is the next update: nothing was sent for the re-creation.
  await write('src/dep.ts', 'export const value: number = 3;\n');
  const update = await tab.next('update');
  expect(update).toMatchObject({ changed: [{ id: '/src/dep.ts' }] });
  expect(tab.messages.filter((m) => m.type === 'update')).toHaveLength(2);
  tab.ws.close();
});

it('keeps the websocket token across a restart in place, so old tabs reconnect and see the new build', async () => {
  const tab = await openFakeTab(base);
  const before = tab.messages[0];
  const closed = new Promise((resolve) => tab.ws.once('close', resolve));
  await server.restart();
  await closed;
  // The old tab's URL (old token) is accepted by the new instance ...
  const ws = new WebSocket(`${base.replace('http', 'ws')}${HMR_PATH.slice(1)}?token=${tab.token}`, HMR_SUBPROTOCOL, {
    headers: { Origin: base.slice(0, -1) },
  });
  const first = await new Promise<ServerMessage>((resolve, reject) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString()) as ServerMessage));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  // ... and tells it that the build changed, which makes the tab reload once.
  expect(first.type).toBe('connected');
  expect(before.type === 'connected' && first.type === 'connected' && first.buildId !== before.buildId).toBe(true);
  ws.close();
});

it('does not send a module read while its file was truncated by the next save; sends the final content', async () => {
  const tab = await openFakeTab(base);
  const file = path.join(root, 'src/dep.ts');
  // The next save lands right when the server reads the file: it truncates it (so the read
  // gets nothing) and writes 30 ms later, like fs.writeFile or an editor's save.
  onReadDep = () => {
    writeFileSync(file, '');
    setTimeout(() => writeFileSync(file, 'export const value: number = 3;\n'), 30);
  };
  await write('src/dep.ts', 'export const value: number = 2;\n');
  const update = await tab.next('update');
  await server.waitForIdle();
  const modules = await (await fetch(`${base}@devserver/modules?ids=/src/dep.ts`)).json();
  expect(modules.modules[0].code).toContain('value = 3');
  expect(update.type === 'update' && update.changed[0].hash).toBe(modules.modules[0].hash);
  expect(tab.messages.filter((m) => m.type === 'update')).toHaveLength(1);
  tab.ws.close();
});

it('serves the last content of a file deleted, created again and rewritten within 50 ms', async () => {
  // chokidar sent no event for the rewrite (it came in its blind window after the add), and
  // the re-check after delivery was timed from the unlink's delivery, which was still
  // pending, so it looked too early: the re-created content stayed served. The pauses and
  // gaps are the scenario (timings seen in the e2e tests), not waits for a result.
  const tab = await openFakeTab(base);
  const file = path.join(root, 'src/dep.ts');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let n = 0;
  for (const pause of [30, 45, 55]) {
    for (const gap of [30, 40]) {
      n += 2;
      await fs.rm(file);
      for (let m = await tab.next('update'); !(m.type === 'update' && m.removed.includes('/src/dep.ts')); ) {
        m = await tab.next('update');
      }
      await sleep(pause);
      await fs.writeFile(file, `export const value: number = ${n};\n`, { flag: 'wx' });
      await sleep(gap);
      await fs.writeFile(file, `export const value: number = ${n + 1};\n`);
      await server.waitForIdle();
      const modules = await (await fetch(`${base}@devserver/modules?ids=/src/dep.ts`)).json();
      expect(modules.modules[0].code, `created ${pause} ms after the delete, rewritten ${gap} ms later`).toContain(`value = ${n + 1}`);
    }
  }
  tab.ws.close();
});

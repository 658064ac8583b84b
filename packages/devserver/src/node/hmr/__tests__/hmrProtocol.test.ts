/**
 * Protocol tests without a browser (hmr-spec.md 1.1-1.4, 5): a real server on a temp
 * project, a real websocket client, real file writes; assertions on the exact messages.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServer, type DevServer } from '../../server.js';
import { HMR_PATH, HMR_SUBPROTOCOL } from '../../../shared/constants.js';
import { openFakeTab } from '../../__tests__/fakeTab.js';
import { createTempProject, type TempProject } from '../../__tests__/tempProject.js';

let root: string;
let server: DevServer;
let base: string;

let project: TempProject;
const write = (rel: string, content: string) => project.write(rel, content);

const connect = () => openFakeTab(base);

beforeEach(async () => {
  project = await createTempProject('hmr');
  root = project.root;
  await write('index.html', '<!doctype html><script type="module" src="/src/main.ts"></script>');
  await write('src/main.ts', "import { value } from './dep';\nimport './style.css';\nexport const out = value;\n");
  await write('src/dep.ts', 'export const value: number = 1;\n');
  await write('src/style.css', '@import "./base.css";\n.a { color: red }\n');
  await write('src/base.css', 'body { margin: 0 }\n');
  server = await createServer({ root, configFile: false, logLevel: process.env.HMR_TEST_LOG ? 'info' : 'silent', debug: !!process.env.HMR_TEST_LOG, server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});

afterEach(async () => {
  await server.close();
  await project.remove();
});

describe('update manifests', () => {
  it('sends one manifest with seq, hash, id, version and kind for a change', async () => {
    const tab = await connect();
    await write('src/dep.ts', 'export const value: number = 2;\n');
    const update = await tab.next('update');
    expect(update).toMatchObject({ type: 'update', seq: 1, changed: [{ id: '/src/dep.ts', kind: 'js' }], removed: [] });
    if (update.type !== 'update') throw new Error('unreachable');
    expect(update.hash).toMatch(/^[\w-]{12}$/);
    const modules = await (await fetch(`${base}@devserver/modules?ids=/src/dep.ts`)).json();
    expect(modules.modules[0].hash).toBe(update.changed[0].hash);
    expect(modules.modules[0].code).toContain('value = 2');
    // The new code rides along, so a tab needs no fetch.
    expect(update.modules).toEqual(modules.modules);
    tab.ws.close();
  });

  it('sends nothing for a save that does not change the content', async () => {
    const tab = await connect();
    await write('src/dep.ts', 'export const value: number = 1;\n');
    await server.waitForIdle();
    // A real change after it proves the no-op produced no message in between.
    await write('src/dep.ts', 'export const value: number = 3;\n');
    const update = await tab.next('update');
    expect(update).toMatchObject({ seq: 1, changed: [{ id: '/src/dep.ts' }] });
    tab.ws.close();
  });

  it('coalesces a burst of saves into one manifest carrying the last content', async () => {
    const tab = await connect();
    for (let i = 10; i < 20; i++) await write('src/dep.ts', `export const value: number = ${i};\n`);
    const update = await tab.next('update');
    await server.waitForIdle();
    const modules = await (await fetch(`${base}@devserver/modules?ids=/src/dep.ts`)).json();
    expect(modules.modules[0].code).toContain('value = 19');
    // Whatever number of manifests the burst produced, the last one carries the final version.
    const updates = tab.messages.filter((m) => m.type === 'update');
    expect(updates.length).toBeLessThanOrEqual(2);
    const last = updates.at(-1)!;
    if (last.type !== 'update' || update.type !== 'update') throw new Error('unreachable');
    expect(last.changed[0].hash).toBe(modules.modules[0].hash);
    tab.ws.close();
  });

  it('never serves the empty middle of a truncate-then-write save', async () => {
    const tab = await connect();
    const file = path.join(root, 'src/dep.ts');
    const handle = await fs.open(file, 'w'); // truncates
    await handle.sync();
    await new Promise((r) => setTimeout(r, 20)); // the editor is slow to write the rest
    await handle.write('export const value: number = 42;\n');
    await handle.close();
    const update = await tab.next('update');
    if (update.type !== 'update') throw new Error('unreachable');
    const modules = await (await fetch(`${base}@devserver/modules?ids=/src/dep.ts`)).json();
    expect(modules.modules[0].code).toContain('value = 42');
    expect(tab.messages.filter((m) => m.type === 'update')).toHaveLength(1);
    tab.ws.close();
  });

  it('survives an atomic save (write temp, rename over) as one change', async () => {
    const tab = await connect();
    await fs.writeFile(path.join(root, 'src/dep.ts.tmp'), 'export const value: number = 7;\n');
    await fs.rename(path.join(root, 'src/dep.ts.tmp'), path.join(root, 'src/dep.ts'));
    const update = await tab.next('update');
    expect(update).toMatchObject({ changed: [{ id: '/src/dep.ts', kind: 'js' }], removed: [] });
    tab.ws.close();
  });

  it('updates a stylesheet when a file it @imports changes', async () => {
    const tab = await connect();
    await write('src/base.css', 'body { margin: 4px }\n');
    expect(await tab.next('update')).toMatchObject({ changed: [{ id: '/src/style.css', kind: 'css' }] });
    tab.ws.close();
  });

  it('reports a syntax error as an error message, not a removal, and clears it when fixed', async () => {
    const tab = await connect();
    await write('src/dep.ts', 'export const value: number = ;\n');
    const error = await tab.next('error');
    expect(error).toMatchObject({ type: 'error', error: { code: 'ERR_SYNTAX', id: '/src/dep.ts', loc: { line: 1 } } });
    if (error.type !== 'error') throw new Error('unreachable');
    expect(error.error.importerChain).toEqual(['/src/dep.ts', '/src/main.ts']);
    expect(error.error.frame).toContain('> 1 | export const value: number = ;');
    await write('src/dep.ts', 'export const value: number = 5;\n');
    expect(await tab.next('error-cleared')).toMatchObject({ id: '/src/dep.ts' });
    expect(await tab.next('update')).toMatchObject({ changed: [{ id: '/src/dep.ts' }], removed: [] });
    tab.ws.close();
  });

  it('shows an open error to a tab that connects later', async () => {
    const first = await connect();
    await write('src/dep.ts', 'export const = ;\n');
    await first.next('error');
    const later = await connect();
    later.ws.send(JSON.stringify({ type: 'hello', buildId: null, lastSeq: 0, page: '/' }));
    expect(await later.next('error')).toMatchObject({ error: { id: '/src/dep.ts' } });
    first.ws.close();
    later.ws.close();
  });

  it('lists a deleted file as removed and reports the importer that now fails', async () => {
    const tab = await connect();
    await fs.rm(path.join(root, 'src/dep.ts'));
    const error = await tab.next('error');
    expect(error).toMatchObject({ error: { code: 'ERR_UNRESOLVED_IMPORT', id: '/src/main.ts' } });
    expect(await tab.next('update')).toMatchObject({ removed: ['/src/dep.ts'] });
    // Creating the file again heals the importer.
    await write('src/dep.ts', 'export const value: number = 9;\n');
    expect(await tab.next('error-cleared')).toMatchObject({ id: '/src/main.ts' });
    tab.ws.close();
  });

  it('replays missed updates to a tab that reconnects with the same build', async () => {
    const tab = await connect();
    const connected = tab.messages[0];
    if (connected.type !== 'connected') throw new Error('expected connected first');
    tab.ws.close();
    await write('src/dep.ts', 'export const value: number = 11;\n');
    await server.waitForIdle();
    const again = await connect();
    again.ws.send(JSON.stringify({ type: 'hello', buildId: connected.buildId, lastSeq: 0, page: '/' }));
    expect(await again.next('update')).toMatchObject({ seq: 1, changed: [{ id: '/src/dep.ts' }] });
    again.ws.close();
  });

  it('reloads only the tabs of an edited page', async () => {
    const tab = await connect();
    await write('index.html', '<!doctype html><title>new</title><script type="module" src="/src/main.ts"></script>');
    expect(await tab.next('full-reload')).toMatchObject({ page: '/index.html' });
    tab.ws.close();
  });
});

describe('terminal lines', () => {
  it('prints what changed with its timing, then which modules each tab says accepted it, once', async () => {
    await server.close();
    const lines: string[] = [];
    const sink = (line: string) => void lines.push(line);
    server = await createServer({
      root,
      configFile: false,
      customLogger: { info: sink, warn: sink, error: sink, debug: () => {} },
      server: { port: 0, host: '127.0.0.1' },
    });
    await server.listen();
    base = server.resolvedUrls!.local[0];
    const first = await connect();
    const second = await connect();
    await write('src/dep.ts', 'export const value: number = 31;\n');
    const update = await first.next('update');
    expect(lines.some((l) => /^hmr update \/src\/dep\.ts \(\d+(\.\d+)? ms\)$/.test(l))).toBe(true);
    const applied = JSON.stringify({ type: 'applied', seq: update.type === 'update' ? update.seq : 0, boundaries: ['/src/main.ts'], ms: 1.5 });
    first.ws.send(applied);
    second.ws.send(applied);
    // A later message proves both reports were handled before we count.
    first.ws.send(JSON.stringify({ type: 'log', level: 'info', message: 'marker' }));
    await new Promise<void>((resolve) => {
      const check = () => (lines.includes('marker') ? resolve() : setImmediate(check));
      check();
    });
    expect(lines.filter((l) => l.includes('accepted by src/main.ts (applied in 1.5 ms in the tab)'))).toHaveLength(1);
    first.ws.close();
    second.ws.close();
  });
});

describe('websocket checks', () => {
  it('refuses a wrong token, a foreign origin and a missing subprotocol before the upgrade', async () => {
    const html = await (await fetch(base)).text();
    const token = /"token":"([^"]+)"/.exec(html)![1];
    const attempt = (url: string, protocol: string | undefined, origin: string | undefined) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, protocol, origin ? { headers: { Origin: origin } } : {});
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => resolve(-1));
      });
    const wsUrl = `${base.replace('http', 'ws')}${HMR_PATH.slice(1)}`;
    const origin = base.slice(0, -1);
    expect(await attempt(`${wsUrl}?token=${token}`, HMR_SUBPROTOCOL, origin)).toBe(101);
    expect(await attempt(`${wsUrl}?token=wrong`, HMR_SUBPROTOCOL, origin)).toBe(401);
    expect(await attempt(`${wsUrl}?token=${token}`, HMR_SUBPROTOCOL, 'https://evil.example')).toBe(403);
    expect(await attempt(`${wsUrl}?token=${token}`, HMR_SUBPROTOCOL, undefined)).toBe(403);
    expect([400, 403]).toContain(await attempt(`${wsUrl}?token=${token}`, 'other', origin));
  });

  it('survives malformed client messages', async () => {
    const tab = await connect();
    tab.ws.send('not json');
    tab.ws.send(JSON.stringify({ type: 'custom', event: 42 }));
    tab.ws.send(JSON.stringify(null));
    tab.ws.send(JSON.stringify({ type: 'hello', lastSeq: 'x' }));
    await write('src/dep.ts', 'export const value: number = 12;\n');
    expect(await tab.next('update')).toMatchObject({ changed: [{ id: '/src/dep.ts' }] });
    tab.ws.close();
  });
});

describe('config changes', () => {
  it('restarts in place on the same port when the config changes, and survives a broken config', async () => {
    await server.close();
    server = await createServer({ root, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
    await server.listen();
    base = server.resolvedUrls!.local[0];
    const port = new URL(base).port;
    const first = await connect();
    const before = first.messages[0];
    if (before.type !== 'connected') throw new Error('expected connected');
    const closed = new Promise((resolve) => first.ws.once('close', resolve));
    await write('devserver.config.ts', 'export default { define: { __X__: "1" } };\n');
    await closed; // the old server went away
    // Same port, new build: a reconnecting tab is told a new build id (and reloads).
    const again = await retry(() => connect());
    const after = again.messages[0];
    expect(new URL(base).port).toBe(port);
    expect(after.type === 'connected' && after.buildId).not.toBe(before.buildId);
    // A broken config keeps the running server serving.
    await write('devserver.config.ts', 'export default { server: { prot: 1 } };\n');
    await write('src/dep.ts', 'export const value: number = 77;\n');
    expect(await again.next('update')).toMatchObject({ changed: [{ id: '/src/dep.ts' }] });
    again.ws.close();
  });
});

async function retry<T>(fn: () => Promise<T>, attempts = 50): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('server API', () => {
  it('reloadModule rebuilds a module and sends an update when its output changed', async () => {
    const tab = await connect();
    // Change the file behind the watcher's back: reloadModule must pick it up by itself.
    await server.close();
    server = await createServer({ root, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1', watch: { ignored: ['dep.ts'] } } });
    await server.listen();
    base = server.resolvedUrls!.local[0];
    tab.ws.close();
    const fresh = await connect();
    await write('src/dep.ts', 'export const value: number = 123;\n');
    await server.reloadModule('/src/dep.ts');
    expect(await fresh.next('update')).toMatchObject({ changed: [{ id: '/src/dep.ts', kind: 'js' }] });
    fresh.ws.close();
  });

  it('restarts when a .env file changes', async () => {
    await server.close();
    server = await createServer({ root, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
    await server.listen();
    base = server.resolvedUrls!.local[0];
    const tab = await connect();
    const closed = new Promise((resolve) => tab.ws.once('close', resolve));
    await write('.env', 'DEVSERVER_GREETING=hi\n');
    await closed;
    const html = await retry(async () => (await fetch(base)).text());
    expect(html).toContain('"DEVSERVER_GREETING":"hi"');
  });
});

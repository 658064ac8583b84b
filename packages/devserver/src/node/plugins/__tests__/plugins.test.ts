/**
 * The plugin API with example plugins on a real server: a virtual module, a custom file
 * type, an HTML transform, a plugin that sends its own HMR event on a file change, one that
 * narrows a hot update, and an error that carries the plugin's name.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from '../../server.js';
import type { Plugin } from '../types.js';
import type { GraphPayload } from '../../../shared/protocol.js';
import { openFakeTab } from '../../__tests__/fakeTab.js';

let root: string;
let server: DevServer | undefined;

async function start(files: Record<string, string>, plugins: Plugin[]): Promise<string> {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-plugins-'));
  for (const [rel, content] of Object.entries({ 'index.html': '<!doctype html><html><head></head><body><script type="module" src="/src/main.ts"></script></body></html>', ...files })) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), content);
  }
  server = await createServer({ root, configFile: false, logLevel: 'silent', plugins, server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  return server.resolvedUrls!.local[0];
}

async function graph(base: string, entry = '/src/main.ts'): Promise<GraphPayload> {
  return (await fetch(`${base}@devserver/graph?entry=${encodeURIComponent(entry)}`)).json() as Promise<GraphPayload>;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
  await fs.rm(root, { recursive: true, force: true });
});

const virtualModule: Plugin = {
  name: 'virtual-hello',
  resolveId: (source) => (source === 'virtual:hello' ? '\0virtual:hello' : null),
  load: (id) => (id === '\0virtual:hello' ? 'export const greeting = "hello from a virtual module";' : null),
};

const textFiles: Plugin = {
  name: 'text-files',
  transform: (code, id) => (id.endsWith('.txt') ? `export default ${JSON.stringify(code.trim())};` : null),
};

describe('plugins', () => {
  it('serves a virtual module', async () => {
    const base = await start({ 'src/main.ts': "import { greeting } from 'virtual:hello';\nexport { greeting };\n" }, [virtualModule]);
    const { modules, errors } = await graph(base);
    expect(errors).toEqual([]);
    const main = modules.find((m) => m.id === '/src/main.ts')!;
    const virtualId = main.deps['virtual:hello'];
    expect(virtualId).toBe('/@id/__x00__virtual:hello');
    expect(modules.find((m) => m.id === virtualId)!.code).toContain('hello from a virtual module');
  });

  it('turns a custom file type into a module', async () => {
    const base = await start({ 'src/main.ts': "import note from './note.txt';\nexport { note };\n", 'src/note.txt': 'a plain note\n' }, [textFiles]);
    const { modules } = await graph(base);
    const note = modules.find((m) => m.id === '/src/note.txt')!;
    expect(note.exports).toEqual(['default']);
    expect(note.code).toContain('"a plain note"');
  });

  it('transforms index.html and injects tags', async () => {
    const base = await start({ 'src/main.ts': '' }, [
      {
        name: 'html',
        transformIndexHtml: (html) => ({
          html: html.replace('<head>', '<head><title>from a plugin</title>'),
          tags: [{ tag: 'meta', attrs: { name: 'x-plugin', content: 'yes"<' }, injectTo: 'head' }],
        }),
      },
    ]);
    const html = await (await fetch(base)).text();
    expect(html).toContain('<title>from a plugin</title>');
    expect(html).toContain('<meta name="x-plugin" content="yes&#34;&#60;">');
  });

  it('lets a plugin send its own event on a file change and drop the update', async () => {
    const base = await start({ 'src/main.ts': "import './data.txt?raw';\n", 'src/data.txt': 'one' }, [
      {
        name: 'data-events',
        handleHotUpdate(ctx) {
          if (!ctx.file.endsWith('.txt')) return;
          ctx.server.hot.send('data:changed', { file: path.basename(ctx.file) });
          return [];
        },
      },
    ]);
    const tab = await openFakeTab(base);
    await fs.writeFile(path.join(root, 'src/data.txt'), 'two');
    expect(await tab.next('custom')).toEqual({ type: 'custom', event: 'data:changed', data: { file: 'data.txt' } });
    // The update was dropped: the next update carries only the next real change.
    await fs.writeFile(path.join(root, 'src/main.ts'), "import './data.txt?raw';\nexport const x = 1;\n");
    expect(await tab.next('update')).toMatchObject({ changed: [{ id: '/src/main.ts' }] });
    tab.ws.close();
  });

  it('lets a plugin narrow an update to some of the modules of a file', async () => {
    const base = await start(
      { 'src/main.ts': "import a from './a.svg?raw';\nimport b from './a.svg?url';\nexport { a, b };\n", 'src/a.svg': '<svg/>' },
      [{ name: 'narrow', handleHotUpdate: (ctx) => ctx.modules.filter((m) => m.id.endsWith('?raw')) }],
    );
    const tab = await openFakeTab(base);
    await fs.writeFile(path.join(root, 'src/a.svg'), '<svg id="new"/>');
    const update = await tab.next('update');
    expect(update).toMatchObject({ changed: [{ id: '/src/a.svg?raw' }] });
    tab.ws.close();
  });

  it('answers plugin custom events from the page (server.hot.on + client.send)', async () => {
    const base = await start({ 'src/main.ts': '' }, [
      {
        name: 'ping',
        configureServer(srv) {
          srv.hot.on('my:ping', (data, client) => client.send('my:pong', { got: data }));
        },
      },
    ]);
    const tab = await openFakeTab(base);
    tab.ws.send(JSON.stringify({ type: 'custom', event: 'my:ping', data: 41 }));
    expect(await tab.next('custom')).toEqual({ type: 'custom', event: 'my:pong', data: { got: 41 } });
    tab.ws.close();
  });

  it('runs config, configResolved, buildStart and configureServer in order, then closeBundle on close', async () => {
    const calls: string[] = [];
    await start({ 'src/main.ts': '' }, [
      {
        name: 'lifecycle',
        config: () => void calls.push('config'),
        configResolved: () => void calls.push('configResolved'),
        buildStart: () => void calls.push('buildStart'),
        configureServer: () => void calls.push('configureServer'),
        closeBundle: () => void calls.push('closeBundle'),
      },
    ]);
    await server!.close();
    expect(calls).toEqual(['config', 'configResolved', 'buildStart', 'configureServer', 'closeBundle']);
  });

  it('puts the plugin name on errors thrown in its hooks', async () => {
    const base = await start({ 'src/main.ts': 'export const x = 1;\n' }, [
      {
        name: 'breaker',
        transform(code, id) {
          if (id.endsWith('main.ts')) this.error('this plugin refuses main.ts', { line: 1, column: 1 });
          return null;
        },
      },
    ]);
    const res = await fetch(`${base}@devserver/graph?entry=/src/main.ts`);
    expect(res.status).toBe(500);
    const { errors } = (await res.json()) as GraphPayload;
    expect(errors[0]).toMatchObject({ code: 'ERR_PLUGIN', plugin: 'breaker', message: 'this plugin refuses main.ts', id: '/src/main.ts' });
  });
});

/**
 * The plugin inside a real devserver (its public entry, from source), without a browser: a
 * temp project linked to the real `svelte` package, the graph endpoint for what the browser
 * receives, and a fake tab on the HMR socket for what each kind of edit sends: a template
 * edit updates the component, a style-only edit only its style module, a compile error is
 * an overlay error with the plugin, file, line and a code frame.
 */
import fs from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { createServer, type DevServer, type Logger, type ModulePayload } from '../../../devserver/src/node/index.js';
import { openFakeTab, type FakeTab } from '../../../devserver/src/node/__tests__/fakeTab.js';
import svelte, { RUNTIME_ENTRIES, STATE_KEEPER_SPECIFIER } from '../node/index.js';

const SVELTE_DIR = realpathSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/svelte'));
const STYLE = '?svelte&type=style&lang.css';
const KEEPER_ID = '/@id/__x00__virtual:@devserver/svelte/state.js';

let root: string;
let server: DevServer;
let base: string;
let tab: FakeTab;
const warnings: string[] = [];

const FILES: Record<string, string> = {
  'index.html': '<!doctype html><html><head></head><body><script type="module" src="/src/main.ts"></script></body></html>',
  'src/main.ts': [
    "import { mount } from 'svelte';",
    "import App from './App.svelte';",
    "import Plain from './Plain.svelte';",
    "import Styled from './Styled.svelte';",
    "import Broken from './Broken.svelte';",
    "import Warn from './Warn.svelte';",
    'export const apps = [App, Plain, Styled, Broken, Warn].map((C) => mount(C, { target: document.body }));',
    '',
  ].join('\n'),
  'src/App.svelte': '<script lang="ts">\n  import { store } from \'./store.svelte\';\n  let count: number = $state(0);\n</script>\n<button class="b" onclick={() => count++}>{count} {store.n}</button>\n<style>\n  .b { color: red; }\n</style>\n',
  'src/Plain.svelte': '<h1>plain</h1>\n',
  'src/Styled.svelte': '<p class="s">styled</p>\n<style>\n  .s { color: red; }\n</style>\n',
  'src/Broken.svelte': '<script>\n  let n = $state(1);\n</script>\n<p>{n}</p>\n',
  'src/Warn.svelte': '<img src="a.png">\n',
  'src/store.svelte.ts': 'export interface Store { n: number }\nexport const store: Store = $state({ n: 1 });\n',
};

function captureLogger(): Logger {
  return { info: () => {}, debug: () => {}, error: () => {}, warn: (message) => warnings.push(message) };
}

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-svelte-')));
  for (const [rel, content] of Object.entries(FILES)) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), content);
  }
  await fs.mkdir(path.join(root, 'node_modules'));
  await fs.symlink(SVELTE_DIR, path.join(root, 'node_modules/svelte'), 'dir');
  server = await createServer({
    root,
    configFile: false,
    customLogger: captureLogger(),
    cacheDir: path.join(root, '.cache'),
    plugins: [svelte()],
    server: { port: 0, host: '127.0.0.1' },
  });
  await server.listen();
  base = server.resolvedUrls!.local[0];
  tab = await openFakeTab(base);
}, 60_000);

afterAll(async () => {
  tab?.ws.close();
  await server?.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function graph(): Promise<{ modules: ModulePayload[]; errors: Array<{ message: string }> }> {
  return (await fetch(`${base}@devserver/graph?entry=${encodeURIComponent('/src/main.ts')}`)).json() as Promise<{ modules: ModulePayload[]; errors: Array<{ message: string }> }>;
}

async function payload(id: string): Promise<ModulePayload> {
  const { modules } = await graph();
  const found = modules.find((m) => m.id === id);
  if (!found) throw new Error(`no payload for ${id}: ${modules.map((m) => m.id).join(', ')}`);
  return found;
}

async function edit(rel: string, change: (src: string) => string): Promise<void> {
  const file = path.join(root, rel);
  const before = await fs.readFile(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`edit of ${rel} changed nothing`);
  await fs.writeFile(file, after);
}

describe('@devserver/svelte in devserver', () => {
  it('adds the Svelte runtime entries to optimizeDeps.include, keeping the user\'s', async () => {
    const plugin = svelte();
    const config = plugin.config as (config: object, env: object) => { optimizeDeps: { include: string[] } };
    expect(config({ optimizeDeps: { include: ['lodash'] } }, {}).optimizeDeps.include).toEqual(['lodash', ...RUNTIME_ENTRIES]);
    expect(server.config.optimizeDeps.include).toEqual(RUNTIME_ENTRIES);
  });

  it('serves a component as a self-accepting module that imports its styles and the state keeper', async () => {
    const app = await payload('/src/App.svelte');
    expect(app.deps[`./App.svelte${STYLE}`]).toBe(`/src/App.svelte${STYLE}`);
    expect(app.deps[STATE_KEEPER_SPECIFIER]).toBe(KEEPER_ID);
    expect(app.deps['svelte/internal/client']).toBe('/@deps/svelte_internal_client.js');
    expect(app.deps['./store.svelte']).toBe('/src/store.svelte.ts');
    expect(app.exports).toEqual(['default']);
    expect(app.code).toContain('.hot.accept(');
    expect(app.code).toMatch(/\.state\(\$\$props, "count", "[\w-]+", /);
    // No absolute path of the project is written into served code.
    expect(app.code).not.toContain(root);
  });

  it("serves a component's CSS as a module that fills one <style> and accepts itself", async () => {
    const style = await payload(`/src/App.svelte${STYLE}`);
    expect(style.deps).toEqual({});
    expect(style.code).toMatch(/\.b\.svelte-[\w-]+ \{ color: red; \}/);
    expect(style.code).toContain('hot.accept();');
    expect(style.code).toContain('document.createElement("style")');
  });

  it('gives a component without styles no style module', async () => {
    const plain = await payload('/src/Plain.svelte');
    expect(Object.keys(plain.deps).filter((spec) => spec.includes(STYLE))).toEqual([]);
  });

  it('serves .svelte.ts modules without types, with their $state kept in import.meta.hot.data', async () => {
    const store = await payload('/src/store.svelte.ts');
    expect(store.exports).toEqual(['store']);
    expect(store.deps[STATE_KEEPER_SPECIFIER]).toBe(KEEPER_ID);
    expect(store.code).toContain('.hot.data : undefined, "store"');
    expect(store.code).not.toContain('interface');
  });

  it('serves source maps that lead back to the .svelte and .svelte.ts files as written', async () => {
    for (const [id, generated, line] of [
      ['/src/App.svelte', '.state(0)', 3],
      ['/src/store.svelte.ts', '{ n: 1 }', 2],
    ] as const) {
      const { code } = await payload(id);
      const mapUrl = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)![1];
      const raw = (await (await fetch(new URL(mapUrl, base))).json()) as { sources: string[]; sourcesContent: string[] };
      expect(raw.sources).toEqual([id]);
      expect(raw.sourcesContent).toEqual([FILES[id.slice(1)]]);
      const index = code.indexOf(generated);
      const before = code.slice(0, index);
      const original = originalPositionFor(new TraceMap(raw as never), { line: before.split('\n').length, column: index - before.lastIndexOf('\n') - 1 });
      expect({ id, line: original.line }).toEqual({ id, line });
    }
  });

  it('serves the state keeper', async () => {
    const keeper = await payload(KEEPER_ID);
    expect([...keeper.exports].sort()).toEqual(['proxy', 'state', 'stats']);
  });

  it('reports compiler warnings in the terminal, one line each, with file and line', () => {
    expect(warnings).toContainEqual(expect.stringMatching(/^\[plugin @devserver\/svelte\] src\/Warn\.svelte:1:1 .*alt attribute \(a11y_missing_attribute\)$/));
  });

  it('sends only the style module for a style-only edit', async () => {
    await edit('src/Styled.svelte', (src) => src.replace('color: red', 'color: blue'));
    const update = await tab.next('update');
    expect(update.type === 'update' && update.changed.map((c) => c.id)).toEqual([`/src/Styled.svelte${STYLE}`]);
  });

  it('sends the component (and not its unchanged styles) for a template edit', async () => {
    await edit('src/Styled.svelte', (src) => src.replace('>styled<', '>restyled<'));
    const update = await tab.next('update');
    expect(update.type === 'update' && update.changed.map((c) => c.id)).toEqual(['/src/Styled.svelte']);
  });

  it('turns a compile error into an overlay error with the plugin, file, line and frame; the fix updates', async () => {
    await edit('src/Broken.svelte', (src) => src.replace('<p>{n}</p>', '<p>{n</p>'));
    const message = await tab.next('error');
    if (message.type !== 'error') throw new Error('unreachable');
    expect(message.error).toMatchObject({
      code: 'ERR_PLUGIN',
      plugin: '@devserver/svelte',
      file: path.join(root, 'src/Broken.svelte'),
      id: '/src/Broken.svelte',
      // Svelte reports the error where `</p>` starts a regular expression in `{n</p>`.
      loc: { line: 4, column: 8 },
    });
    expect(message.error.message).toMatch(/^[^\n]+\(https:\/\/svelte\.dev\/e\/\w+\)$/);
    expect(message.error.frame).toContain('> 4 | <p>{n</p>');

    await edit('src/Broken.svelte', (src) => src.replace('<p>{n</p>', '<p>{n}!</p>'));
    const update = await tab.next('update');
    expect(update.type === 'update' && update.changed.map((c) => c.id)).toEqual(['/src/Broken.svelte']);
  });
});

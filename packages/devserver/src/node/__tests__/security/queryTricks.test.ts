/**
 * security.md classes 2 and 4 against the real server: query tricks that change how a
 * file is read (`?raw`, `?import&raw`, `?raw??`, `?inline`, `?url`, several `?`, fake
 * extensions) on denied files inside the root and on files outside it, sent to the file
 * routes AND to the registry endpoints (graph, modules, source maps), which build modules
 * themselves; imports that reach outside from an allowed module (CSS `@import`, JSON,
 * `?raw`, symlinks); virtual ids; and source maps that point outside the root.
 *
 * The server runs a typical "read-through" loader plugin (it reads `.js`/`.json` files
 * itself in `load`, like banner or JSON5 plugins do): the file gate must run before any
 * plugin is handed an id, so the plugin records every id it was given and none may lie
 * outside the root or on the deny list.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../../shared/protocol.js';
import type { Plugin } from '../../plugins/types.js';
import { createDenyMatcher, DEFAULT_DENY } from '../../security/denyMatcher.js';
import { createSecurityFixture, type SecurityFixture } from './fixture.js';
import { expectAlive, expectNoLeak, rawGet, startServer, type RawResponse, type Running } from './harness.js';

let fx: SecurityFixture;
let run: Running;
const loadedIds: string[] = [];

/** Vite's `cleanUrl`, which plugins use to get the file of an id. */
const cleanUrl = (id: string): string => id.replace(/[?#].*$/s, '');

/**
 * Reads `.js` and `.json` files itself, as many loader plugins do (filter on the id, read
 * `cleanUrl(id)`), and records every id it gets.
 */
const readThroughPlugin: Plugin = {
  name: 'test:read-through',
  load(id) {
    loadedIds.push(id);
    if (!/\.(js|json)$/.test(id)) return null;
    const file = cleanUrl(id);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    return file.endsWith('.js') ? `/* banner */\n${text}` : text;
  },
};

beforeAll(async () => {
  fx = createSecurityFixture();
  run = await startServer(fx.root, { plugins: [readThroughPlugin] });
});

afterAll(async () => {
  await run?.server.close();
  fx?.cleanup();
});

/** Files that must never be read, as URL paths (`<OUT>` is the outside folder). */
const FILES = [
  '/.env',
  '/.git/hooks/pre-commit.js',
  '/.env.local',
  '/certs/server.key',
  '/id.pem',
  '/.npmrc',
  '/.git/config',
  '/.ENV',
  '/../secret.txt',
  '/../outside/secret.txt',
  '/../outside/secret.json',
  '/../outside/secret.css',
  '/../outside/secret.js',
  '/src/../../outside/secret.js.map',
  '/@fs<OUT>/secret.txt',
  '/@fs<OUT>/secret.json',
  '/@fs<OUT>/secret.css',
  '/linked.txt',
  '/linked-dir/secret.css',
  '/linked-dir/secret.json',
  '/linked.css',
  '/src/linked.ts',
  '/innocent.txt',
];

const QUERIES = [
  '?raw',
  '?import&raw',
  '?raw&import',
  '?raw??',
  '??raw',
  '?raw?url',
  '?raw=1',
  '?t=1&raw',
  '?import',
  '?inline',
  '?url',
  '?url&raw',
  '?.svg',
  '?.wasm?init',
  '?.css',
  '?.js',
  '?.json',
  '?worker',
  '?html-proxy&index=0.js',
  '?direct',
];

interface RegistryBody {
  modules: Array<{ id: string; code: string }>;
  errors: ErrorPayload[];
}

function fill(target: string): string {
  return target.replaceAll('<OUT>', fx.outside).replaceAll('<ROOT>', fx.root);
}

function registryBody(res: RawResponse): RegistryBody {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return JSON.parse(res.text) as RegistryBody;
}

/** Every requested id is answered by an error, never by a module. */
function expectAllRefused(body: RegistryBody, ids: string[], label: string): void {
  expect(body.modules.map((m) => m.id), label).toEqual([]);
  for (const error of body.errors) expect(['ERR_FORBIDDEN', 'ERR_NOT_FOUND'], `${label}: ${error.message}`).toContain(error.code);
  expect(body.errors.length, label).toBe(ids.length);
}

describe.each(FILES)('query tricks on %s', (template) => {
  it('file routes refuse every query form', async () => {
    const file = fill(template);
    for (const query of QUERIES) {
      const target = file + query;
      const res = await rawGet(run, target, ['Accept: */*']);
      expectNoLeak(res, fx.tokens, target);
      expect([400, 403, 404], `${target} -> ${res.status}`).toContain(res.status);
    }
    await expectAlive(run, fx.publicText);
  });

  it('the modules endpoint refuses every query form', async () => {
    const ids = [fill(template), ...QUERIES.map((q) => fill(template) + q)];
    const res = await rawGet(run, `/@devserver/modules?ids=${ids.map(encodeURIComponent).join(',')}`);
    expectNoLeak(res, fx.tokens, `modules ${template}`);
    expect(res.status).toBe(500);
    expectAllRefused(registryBody(res), ids, `modules ${template}`);
    // The same ids written unencoded in the query (`?` and `&` inside change their meaning).
    const raw = await rawGet(run, `/@devserver/modules?ids=${ids.join(',')}`);
    expectNoLeak(raw, fx.tokens, `modules (raw) ${template}`);
    if (raw.status !== 400) expect(registryBody(raw).modules).toEqual([]);
    await expectAlive(run, fx.publicText);
  });

  it('the graph endpoint refuses every query form as an entry', async () => {
    for (const query of ['', ...QUERIES]) {
      const id = fill(template) + query;
      for (const target of [`/@devserver/graph?entry=${encodeURIComponent(id)}`, `/@devserver/graph?entry=${id}`]) {
        const res = await rawGet(run, target);
        expectNoLeak(res, fx.tokens, target);
        expect([400, 500], target).toContain(res.status);
        if (res.status === 500) expect(registryBody(res).modules, target).toEqual([]);
      }
    }
    await expectAlive(run, fx.publicText);
  });

  it('the source map endpoint has no map for any form', async () => {
    for (const query of ['', ...QUERIES]) {
      const id = fill(template) + query;
      const res = await rawGet(run, `/@devserver/modules/sourcemap?id=${encodeURIComponent(id)}`);
      expectNoLeak(res, fx.tokens, `sourcemap ${id}`);
      expect(res.status, `sourcemap ${id}`).toBe(404);
    }
  });
});

describe('registry endpoints, examples from the issue', () => {
  it.each([
    '/@devserver/graph?entry=/../secret.txt?raw',
    '/@devserver/graph?entry=/../outside/secret.txt?raw',
    '/@devserver/graph?entry=/%2e%2e/outside/secret.txt?raw',
    '/@devserver/graph?entry=/%252e%252e/outside/secret.txt?raw',
    '/@devserver/graph?entry=/..%5coutside%5csecret.txt?raw',
    '/@devserver/graph?entry=/.env?raw',
    '/@devserver/modules?ids=/.env?raw,/@fs<OUT>/secret.txt?raw',
    '/@devserver/modules?ids=/.env,/.env?raw,/.env?inline,/.env?url,/.env.local?raw',
    '/@devserver/modules?ids=/@fs<OUT>/secret.json,/@fs<OUT>/secret.css?inline,/@fs<OUT>/secret.js',
    '/@devserver/modules?ids=/@id/<OUT>/secret.txt,/@id/__x00__<OUT>/secret.txt,/@id/../.env,/@id/.env?raw',
    '/@devserver/modules?ids=/@id/<OUT>/secret.js,/@id/<OUT>/secret.json,/@id/__x00__<OUT>/secret.js,/@id/../outside/secret.js',
    '/@devserver/modules?ids=/@id/<ROOT>/.git/hooks/pre-commit.js,/@id//@fs<OUT>/secret.js',
    '/@devserver/graph?entry=/@id/<OUT>/secret.js',
    // `#` decoded from the query: `/.env#.js` is no denied name, but plugins read cleanUrl(id).
    '/@devserver/modules?ids=/.env%23.js,/.npmrc%23.json,/id.pem%23x.js,/.env.local%23%3F.js',
    '/@devserver/graph?entry=/.env%23.js',
    '/@devserver/modules?ids=/.env%5C..%5C.env.js,/src%5C..%5C..%5Coutside%5Csecret.js,/.env%00.js,/.env%0a.js',
    '/@devserver/modules?ids=/@deps/../../.env,/@fs/../../..<OUT>/secret.txt',
    '/@devserver/modules/sourcemap?id=/.env',
    '/@devserver/modules/sourcemap?id=/@fs<OUT>/secret.js',
    '/@devserver/modules/sourcemap?id=/@fs<OUT>/secret.js.map',
  ])('%s', async (template) => {
    const res = await rawGet(run, fill(template));
    expectNoLeak(res, fx.tokens, template);
    expect([400, 404, 500]).toContain(res.status);
    if (res.status === 500) expect(registryBody(res).modules).toEqual([]);
    await expectAlive(run, fx.publicText);
  });
});

describe('allowed modules that import outside or denied files', () => {
  it.each([
    ['/src/css-out.ts', '/src/evil-outside.css'],
    ['/src/json-out.ts', '/@fs<OUT>/secret.json'],
    ['/src/raw-out.ts', '/@fs<OUT>/secret.txt?raw'],
    ['/src/url-out.ts', '/@fs<OUT>/secret.txt?url'],
    ['/src/raw-env.ts', '/.env?raw'],
    ['/src/inline-env.ts', '/.env?inline'],
  ])('%s: the import %s is refused', async (entry, imported) => {
    const res = await rawGet(run, `/@devserver/graph?entry=${entry}`);
    expectNoLeak(res, fx.tokens, entry);
    expect(res.status).toBe(500);
    const body = registryBody(res);
    expect(body.modules.map((m) => m.id)).toEqual([entry]);
    expect(body.errors.map((e) => [e.id, e.code])).toEqual([[fill(imported), 'ERR_FORBIDDEN']]);
    const single = await rawGet(run, `/@devserver/modules?ids=${encodeURIComponent(fill(imported))}`);
    expectNoLeak(single, fx.tokens, imported);
    expect(single.status).toBe(500);
  });

  it.each(['/src/evil-outside.css', '/src/evil-symlink.css', '/src/evil-abs.css', '/src/evil-env.css', '/src/evil-bad.css'])(
    'a stylesheet whose @import reaches outside (%s) is refused on every route',
    async (id) => {
      // Served as a stylesheet (<link>), as a module, inline, and as a graph entry.
      const css = await rawGet(run, id, ['Accept: text/css,*/*;q=0.1']);
      expectNoLeak(css, fx.tokens, id);
      expect([403, 500]).toContain(css.status);
      for (const target of [
        `/@devserver/modules?ids=${id},${id}?inline,${id}?import`,
        `/@devserver/graph?entry=${id}`,
        `/@devserver/modules/sourcemap?id=${id}`,
      ]) {
        const res = await rawGet(run, target);
        expectNoLeak(res, fx.tokens, target);
        expect(res.status).not.toBe(200);
      }
      // `?raw` of the stylesheet itself is its own (allowed) text, not the imported file.
      const raw = await rawGet(run, `/@devserver/modules?ids=${id}?raw`);
      expectNoLeak(raw, fx.tokens, `${id}?raw`);
      expect(raw.status).toBe(200);
      await expectAlive(run, fx.publicText);
    },
  );

  it('a symlinked module that points outside is refused', async () => {
    const res = await rawGet(run, '/@devserver/graph?entry=/src/linked.ts');
    expectNoLeak(res, fx.tokens, '/src/linked.ts');
    expect(registryBody(res).errors.map((e) => e.code)).toEqual(['ERR_FORBIDDEN']);
  });
});

describe('source maps never inline files outside the root (class 4)', () => {
  it.each(['/src/mapped.js', '/src/mapped-rel.js', '/src/mapped-inline.js', '/src/mapped-sibling.js'])('%s', async (id) => {
    const graph = await rawGet(run, `/@devserver/graph?entry=${id}`);
    expectNoLeak(graph, fx.tokens, id);
    expect(graph.status).toBe(200);
    const map = await rawGet(run, `/@devserver/modules/sourcemap?id=${encodeURIComponent(id)}`);
    expectNoLeak(map, fx.tokens, `${id} map`);
    expect(map.status).toBe(200);
    const parsed = JSON.parse(map.text) as { sources: string[]; sourcesContent: string[] };
    expect(parsed.sources).toEqual([id]);
    expect(parsed.sourcesContent).toHaveLength(1);
    // The file's own map (inside the root) names outside files; serving it inlines nothing.
    const sibling = await rawGet(run, '/src/mapped-sibling.js.map');
    expectNoLeak(sibling, fx.tokens, 'mapped-sibling.js.map');
  });
});

describe('plugins are never handed a refused id', () => {
  it('no id outside the root or on the deny list reached a load hook', () => {
    const denied = createDenyMatcher(DEFAULT_DENY);
    const refused = loadedIds.filter((id) => {
      const file = cleanUrl(id);
      if (!path.isAbsolute(file) || file.includes('\\')) return true;
      const segments = path.relative(fx.root, file).split(path.sep);
      return segments[0] === '..' || denied(segments) || /^(linked|innocent)/.test(segments[0]) || segments.join('/') === 'src/linked.ts';
    });
    expect(loadedIds.length).toBeGreaterThan(0);
    expect(refused).toEqual([]);
  });

  it('the plugin still loads allowed files', async () => {
    const res = await rawGet(run, '/@devserver/graph?entry=/src/mapped.js');
    expect(res.status).toBe(200);
    expect(registryBody(res).modules[0].code).toContain('const m = 1');
    expect(loadedIds).toContain(path.join(fx.root, 'src', 'mapped.js'));
  });
});

describe('positive controls', () => {
  it('the graph of the entry and a ?raw of an allowed file still work', async () => {
    const graph = await rawGet(run, '/@devserver/graph?entry=/src/main.ts');
    expect(graph.status).toBe(200);
    expect(registryBody(graph).modules.map((m) => m.id).sort()).toEqual(['/src/main.ts', '/src/style.css', '/src/util.ts']);
    const raw = await rawGet(run, '/@devserver/modules?ids=/src/util.ts?raw');
    expect(raw.status).toBe(200);
    expect(registryBody(raw).modules[0].code).toContain('export const util: string');
    const style = await rawGet(run, '/src/style.css');
    expect(style.status).toBe(200);
    expect(style.text).toContain('rebeccapurple');
  });
});

/**
 * The plugin inside a real devserver (its public entry, from source), without a browser:
 * a temp project with a fake `react` package, HTTP requests for the page and for module
 * payloads, and the served factories run with fakes for React and the refresh helper.
 * Checks what the browser will get: the preamble as a native script before everything
 * else, Fast Refresh registration plus the footer in JSX/TSX modules only, the helper
 * module, and the runtime middleware.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type DevServer, type ModulePayload } from '../../../devserver/src/node/index.js';
import react from '../node/index.js';
import { refreshRuntimeMiddleware } from '../node/runtimeMiddleware.js';
import { HELPER_SPECIFIER } from '../node/refreshTransform.js';

let root: string;
let server: DevServer;
let base: string;

async function write(rel: string, content: string) {
  await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await fs.writeFile(path.join(root, rel), content);
}

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-react-')));
  await write('index.html', '<!doctype html><html><head><title>t</title></head><body><script type="module" src="/src/main.tsx"></script></body></html>');
  await write('src/main.tsx', "import { App } from './App';\nexport const root = <App />;\n");
  await write(
    'src/App.tsx',
    [
      "import { useState } from 'react';",
      "import { helper } from './helper';",
      'export function App() {',
      '  const [n] = useState(helper());',
      '  return <p>{n}</p>;',
      '}',
      'export const Arrow = () => <span />;',
      '',
    ].join('\n'),
  );
  await write('src/helper.ts', 'export function helper() { return 1; }\n');
  await write('node_modules/react/package.json', JSON.stringify({ name: 'react', version: '19.0.0', type: 'module', exports: { '.': './index.js', './jsx-dev-runtime': './jsx-dev-runtime.js' } }));
  await write('node_modules/react/index.js', 'export function useState(v) { return [v, () => {}]; }\n');
  await write('node_modules/react/jsx-dev-runtime.js', 'export function jsxDEV(type, props) { return { type, props }; }\nexport const Fragment = Symbol.for("react.fragment");\n');
  server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    cacheDir: path.join(root, '.cache'),
    plugins: [react()],
    server: { port: 0, host: '127.0.0.1' },
  });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});

afterAll(async () => {
  await server?.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function modulePayload(id: string): Promise<ModulePayload> {
  const res = await fetch(`${base}@devserver/graph?entry=${encodeURIComponent('/src/main.tsx')}`);
  const graph = (await res.json()) as { modules: ModulePayload[]; errors: unknown[] };
  expect(graph.errors).toEqual([]);
  const found = graph.modules.find((m) => m.id === id);
  if (!found) throw new Error(`no payload for ${id}: ${graph.modules.map((m) => m.id).join(', ')}`);
  return found;
}

interface FakeHot {
  accepted: Array<(mod: unknown) => void>;
  accept(cb: (mod: unknown) => void): void;
}

/** Runs a served factory with fake imports; returns what it did to the refresh helper. */
async function run(payload: ModulePayload) {
  const calls = { registered: [] as string[], setup: [] as Array<{ key: string; exports: string[] }>, signatures: 0 };
  const hot: FakeHot = { accepted: [], accept: (cb) => hot.accepted.push(cb) };
  const helper = {
    register: (_type: unknown, key: string, name: string) => calls.registered.push(`${key} ${name}`),
    createSignatureFunctionForTransform: () => {
      calls.signatures++;
      return (type: unknown) => type;
    },
    setupModule: (_hot: unknown, key: string, exports: Record<string, unknown>) => calls.setup.push({ key, exports: Object.keys(exports) }),
  };
  const fakes: Record<string, unknown> = {
    react: { useState: (v: unknown) => [v, () => {}] },
    'react/jsx-dev-runtime': { jsxDEV: () => null },
    './helper': { helper: () => 1 },
    [HELPER_SPECIFIER]: helper,
  };
  const factory = (0, eval)(payload.code) as (...args: unknown[]) => Promise<void>;
  const exports = Object.create(null) as Record<string, unknown>;
  const meta = { url: `http://x${payload.id}`, hot };
  await factory(exports, meta, async (spec: string) => fakes[spec], async () => ({}), () => {});
  return { calls, exports, hot };
}

describe('@devserver/react in devserver', () => {
  it('injects the preamble as a native module script before the runtime and the entries', async () => {
    const html = await (await fetch(base)).text();
    const preamble = html.indexOf('<script type="module">import { install } from "/@react-refresh"; install(window);</script>');
    const boot = html.indexOf('start(');
    const entry = html.indexOf('load("/src/main.tsx")');
    expect(preamble).toBeGreaterThan(-1);
    expect(boot).toBeGreaterThan(preamble);
    expect(entry).toBeGreaterThan(boot);
    // It is not turned into a registry entry (that would run it after React loaded).
    expect(html).not.toContain('?inline=');
  });

  it('registers the components of a TSX module and hands its exports to setupModule', async () => {
    const payload = await modulePayload('/src/App.tsx');
    expect(payload.deps[HELPER_SPECIFIER]).toBe('/@id/__x00__virtual:@devserver/react/refresh.js');
    const { calls } = await run(payload);
    expect(calls.registered).toEqual(['http://x/src/App.tsx App', 'http://x/src/App.tsx Arrow']);
    // `var _s = $RefreshSig$()` runs before the footer: the hoisted declaration handles it.
    expect(calls.signatures).toBe(1);
    expect(calls.setup).toEqual([{ key: 'http://x/src/App.tsx', exports: ['App', 'Arrow'] }]);
  });

  it('leaves non-JSX modules alone', async () => {
    const payload = await modulePayload('/src/helper.ts');
    expect(payload.code).not.toContain('RefreshReg');
    expect(payload.deps[HELPER_SPECIFIER]).toBeUndefined();
  });

  it('serves the helper module, which explains a missing preamble', async () => {
    const payload = await modulePayload('/@id/__x00__virtual:@devserver/react/refresh.js');
    expect(payload.exports.sort()).toEqual(['createSignatureFunctionForTransform', 'register', 'setupModule']);
    const factory = (0, eval)(payload.code) as (...args: unknown[]) => Promise<void>;
    await expect(factory(Object.create(null), { url: 'http://x/', hot: undefined }, async () => ({}), async () => ({}), () => {})).rejects.toThrow(
      /preamble .*did not run/,
    );
  });
});

describe('refreshRuntimeMiddleware', () => {
  it('serves the runtime file at /@react-refresh with an ETag and passes everything else on', async () => {
    const file = path.join(root, 'runtime.js');
    await fs.writeFile(file, 'export function install() {}\n');
    const middleware = refreshRuntimeMiddleware(file);
    const standalone = http.createServer((req, res) => middleware(req, res, () => {
      res.statusCode = 404;
      res.end('next');
    }));
    await new Promise<void>((resolve) => standalone.listen(0, '127.0.0.1', resolve));
    const { port } = standalone.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/@react-refresh?v=1`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await res.text()).toBe('export function install() {}\n');
      const again = await fetch(`http://127.0.0.1:${port}/@react-refresh`, { headers: { 'If-None-Match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => standalone.close(resolve));
    }
  });
});

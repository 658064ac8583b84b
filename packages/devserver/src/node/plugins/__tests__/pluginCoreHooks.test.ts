/**
 * The two core behaviours framework plugins rely on (added for @devserver/react):
 *  - `transformIndexHtml` order: `enforce: 'pre'` hooks run before devserver's HTML rewrite
 *    (their module scripts become registry entries), the others after it (Vite's order), so
 *    a tag they inject reaches the browser as written;
 *  - `jsxRefresh`: the JSX transform adds React Fast Refresh registration to the modules a
 *    plugin selects, and only to those.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from '../../server.js';
import type { Plugin } from '../types.js';
import type { GraphPayload } from '../../../shared/protocol.js';

let root: string;
let server: DevServer | undefined;

async function start(files: Record<string, string>, plugins: Plugin[]): Promise<string> {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-plugin-core-'));
  const page = '<!doctype html><html><head></head><body><script type="module" src="/src/main.ts"></script></body></html>';
  for (const [rel, content] of Object.entries({ 'index.html': page, ...files })) {
    await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await fs.writeFile(path.join(root, rel), content);
  }
  server = await createServer({ root, configFile: false, logLevel: 'silent', plugins, server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  return server.resolvedUrls!.local[0];
}

afterEach(async () => {
  await server?.close();
  server = undefined;
  await fs.rm(root, { recursive: true, force: true });
});

describe('transformIndexHtml order', () => {
  it("rewrites a pre plugin's module script and leaves a normal plugin's as written", async () => {
    const inject = (code: string) => () => [{ tag: 'script', attrs: { type: 'module' }, children: code, injectTo: 'head-prepend' as const }];
    const base = await start({ 'src/main.ts': '' }, [
      { name: 'pre', enforce: 'pre', transformIndexHtml: inject('window.fromPre = 1;') },
      { name: 'normal', transformIndexHtml: inject('window.fromNormal = 1;') },
    ]);
    const html = await (await fetch(base)).text();
    // The pre plugin's script became an in-memory module loaded through the registry...
    expect(html).not.toContain('window.fromPre');
    expect(html).toContain('load("/index.html?inline=0")');
    // ...the normal plugin's is native, first in <head>, before the runtime starts.
    const native = html.indexOf('<script type="module">window.fromNormal = 1;</script>');
    expect(native).toBeGreaterThan(-1);
    expect(native).toBeLessThan(html.indexOf('start('));
  });
});

describe('jsxRefresh', () => {
  it('adds Fast Refresh registration to the modules a plugin selects', async () => {
    const component = 'export function App() { return <p>hi</p>; }\n';
    const base = await start(
      {
        'src/main.ts': "import { App } from './App';\nimport { Other } from './Other';\nexport { App, Other };\n",
        'src/App.tsx': component,
        'src/Other.tsx': component.replace('App', 'Other'),
        'node_modules/react/package.json': JSON.stringify({ name: 'react', type: 'module', exports: { './jsx-dev-runtime': './jsx.js' } }),
        'node_modules/react/jsx.js': 'export function jsxDEV() { return null; }\n',
      },
      [{ name: 'refresh', jsxRefresh: (id) => id === '/src/App.tsx' }],
    );
    const graph = (await (await fetch(`${base}@devserver/graph?entry=/src/main.ts`)).json()) as GraphPayload;
    expect(graph.errors).toEqual([]);
    const code = (id: string) => graph.modules.find((m) => m.id === id)!.code;
    expect(code('/src/App.tsx')).toContain('$RefreshReg$(_c, "App")');
    expect(code('/src/Other.tsx')).not.toContain('$RefreshReg$');
  });
});

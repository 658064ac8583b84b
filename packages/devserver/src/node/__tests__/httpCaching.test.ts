/**
 * HTTP caching: source responses carry strong ETags and answer 304 when unchanged (a warm
 * reload re-downloads nothing), a change produces a new ETag, and pre-bundled dependency
 * URLs, which carry their version, are immutable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from '../server.js';
import { createTempProject, type TempProject } from './tempProject.js';
import type { GraphPayload } from '../../shared/protocol.js';

let project: TempProject;
let server: DevServer;
let base: string;

beforeAll(async () => {
  project = await createTempProject('caching', {
    'index.html': '<!doctype html><link rel="stylesheet" href="/src/a.css"><script type="module" src="/src/main.ts"></script>',
    'src/main.ts': "import dep from 'some-dep';\nexport const v = dep;\n",
    'src/a.css': 'body { color: red }\n',
    'node_modules/some-dep/package.json': JSON.stringify({ name: 'some-dep', version: '1.0.0', type: 'module', main: 'index.js' }),
    'node_modules/some-dep/index.js': 'export default 42;\n',
  });
  server = await createServer({ root: project.root, configFile: false, logLevel: 'silent', cacheDir: `${project.root}/.cache`, server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});
afterAll(async () => {
  await server.close();
  await project.remove();
});

async function revalidates(url: string): Promise<string> {
  const first = await fetch(url);
  expect(first.status).toBe(200);
  const etag = first.headers.get('etag')!;
  expect(etag).toMatch(/^"[\w-]+"$/); // strong
  expect(first.headers.get('cache-control')).toBe('no-cache');
  const again = await fetch(url, { headers: { 'if-none-match': etag } });
  expect(again.status).toBe(304);
  expect(await again.text()).toBe('');
  return etag;
}

describe('HTTP caching', () => {
  it('answers 304 for an unchanged page, graph and stylesheet', async () => {
    await revalidates(base);
    await revalidates(`${base}@devserver/graph?entry=/src/main.ts`);
    await revalidates(`${base}src/a.css`);
  });

  it('gives a changed module graph a new ETag', async () => {
    const graphUrl = `${base}@devserver/graph?entry=/src/main.ts`;
    const before = await revalidates(graphUrl);
    await project.write('src/main.ts', "import dep from 'some-dep';\nexport const v = dep + 1;\n");
    await server.waitForIdle();
    const after = await fetch(graphUrl, { headers: { 'if-none-match': before } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('serves versioned dependency URLs as immutable', async () => {
    const graph = (await (await fetch(`${base}@devserver/graph?entry=/src/main.ts`)).json()) as GraphPayload;
    const dep = graph.modules.find((m) => m.url)!;
    expect(dep.url).toMatch(/\?v=/);
    const res = await fetch(new URL(dep.url!, base));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});

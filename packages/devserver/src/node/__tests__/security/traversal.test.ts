/**
 * security.md classes 1 and 3 against the real server: traversal out of the root (many
 * encodings, backslash, `//`, `/.` suffix, `#` in the raw target, symlinks out, `/@fs/`
 * absolute paths) and case/name tricks on denied files. Each request is written on a raw
 * socket; each answer must be a refusal (400/403/404) with no canary byte in any encoding,
 * and the server must serve an allowed file right after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecurityFixture, type SecurityFixture } from './fixture.js';
import { expectAlive, expectNoLeak, rawGet, rawSend, startServer, type Running } from './harness.js';

let fx: SecurityFixture;
let run: Running;

beforeAll(async () => {
  fx = createSecurityFixture();
  run = await startServer(fx.root);
});

afterAll(async () => {
  await run?.server.close();
  fx?.cleanup();
});

// `<OUT>`, `<TMP>`, `<ROOT>`: absolute paths of the fixture, filled in per test.
const TRAVERSAL = [
  '/../secret.txt',
  '/../outside/secret.txt',
  '/../outside/page.html',
  '/%2e%2e/outside/secret.txt',
  '/%2e%2e%2foutside%2fsecret.txt',
  '/%2E%2E%2Foutside%2Fsecret.txt',
  '/..%2foutside/secret.txt',
  '/.%2e/outside/secret.txt',
  '/%2e./outside/secret.txt',
  '/%252e%252e%252foutside%252fsecret.txt',
  '/..%252foutside%252fsecret.txt',
  '/%25252e%25252e/outside/secret.txt',
  '/..\\outside\\secret.txt',
  '/..%5coutside%5csecret.txt',
  '/..%5Coutside/secret.txt',
  '/src\\..\\..\\outside\\secret.txt',
  '/%c0%ae%c0%ae/outside/secret.txt',
  '/%e0%80%ae%e0%80%ae/outside/secret.txt',
  '/%u002e%u002e/outside/secret.txt',
  '//../outside/secret.txt',
  '///../outside/secret.txt',
  '//..//outside//secret.txt',
  '/./../outside/secret.txt',
  '/src/../../outside/secret.txt',
  '/src/%2e%2e/%2e%2e/outside/secret.txt',
  '/public/../../outside/secret.txt',
  '/assets/..%2f..%2foutside%2fsecret.txt',
  '/../outside/secret.txt/.',
  '/../outside/secret.txt/./',
  '/../outside/./secret.txt',
  '/..;/outside/secret.txt',
  '/../../../../../../../..<TMP>/secret.txt',
  '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e<OUT>/secret.txt',
  '/../outside/secret.txt#',
  '/public-file.txt#/../../outside/secret.txt',
  '/#/../outside/secret.txt',
  '/..#/outside/secret.txt',
  '/../outside/secret.txt%23',
  '/../outside/secret.txt%3f',
  '/..%00/outside/secret.txt',
  '/../outside/secret.txt%00.html',
  // Symlinks inside the root (and the public dir) that point outside, or at a denied file.
  '/linked.txt',
  '/linked.txt/.',
  '/linked-dir/secret.txt',
  '/linked-dir/page.html',
  '/linked-dir/./secret.json',
  '/linked.css',
  '/src/linked.ts',
  '/innocent.txt',
  // `/@fs/` with absolute paths outside every allowed root.
  '/@fs<OUT>/secret.txt',
  '/@fs/<OUT>/secret.txt',
  '/@fs<OUT>/page.html',
  '/@fs<TMP>/secret.txt',
  '/@fs<ROOT>/../outside/secret.txt',
  '/@fs<ROOT>/%2e%2e/outside/secret.txt',
  '/@fs<ROOT>/linked.txt',
  '/@fs<ROOT>/.env',
  '/@fs%2f<OUT>/secret.txt',
  '/@fs/etc/passwd',
  '/@fs/../../../..<OUT>/secret.txt',
];

const NAME_TRICKS = [
  '/.env',
  '/.ENV',
  '/.Env',
  '/.env/.',
  '/.env/',
  '/.env.',
  '/.env..',
  '/.env%20',
  '/.env%2e',
  '/.env%2E%20.',
  '/.env::$DATA',
  '/.env:stream',
  '/%2eenv',
  '/%2Eenv',
  '/%2e%65%6e%76',
  '/.e%6ev',
  '/.env.local',
  '/.ENV.LOCAL',
  '/.env.local.',
  '/.env.local%20',
  '/certs/server.key',
  '/certs/server.KEY',
  '/certs/server.key.',
  '/certs/server.key%20',
  '/certs/./server.key',
  '/certs//server.key',
  '/src/../certs/server.key',
  '/id.pem',
  '/ID.PEM',
  '/id.pem.',
  '/id.pem/.',
  '/.npmrc',
  '/.NPMRC',
  '/.npmrc.',
  '/.git/config',
  '/.GIT/CONFIG',
  '/.git./config',
  '/.git/config.',
  '/.git/./config',
  '/.git//config',
  '/src/../.git/config',
  '/%2egit/config',
  '/public/../.env',
  '/assets/%2e%2e/.env',
  '//.env',
  '/.env#',
  '/.env#.js',
];

function fill(target: string): string {
  return target.replace('<OUT>', fx.outside).replace('<TMP>', fx.tmp).replace('<ROOT>', fx.root);
}

describe.each([
  ['traversal', TRAVERSAL],
  ['case and name tricks', NAME_TRICKS],
])('%s', (_name, targets) => {
  it.each(targets)('%s is refused without leaking', async (template) => {
    const target = fill(template);
    const res = await rawGet(run, target, ['Accept: */*']);
    expectNoLeak(res, fx.tokens, target);
    expect([400, 403, 404], `${target} -> ${res.status} ${res.text.slice(0, 120)}`).toContain(res.status);
    // Navigations go through the HTML middleware (and its SPA fallback) first.
    const page = await rawGet(run, target, ['Accept: text/html,application/xhtml+xml']);
    expectNoLeak(page, fx.tokens, `${target} (text/html)`);
    if (page.status === 200) expect(page.text).toContain('<title>fixture</title>');
    else expect([400, 403, 404]).toContain(page.status);
    // HEAD must not say more than GET (no size oracle for denied files).
    const head = await rawGet(run, target, [], 'HEAD');
    expect([400, 403, 404]).toContain(head.status);
    await expectAlive(run, fx.publicText);
  });
});

describe('malformed request targets', () => {
  it.each([
    'http://127.0.0.1/.env',
    `http://evil.com/../outside/secret.txt`,
    '127.0.0.1:80',
    '*',
    '.env',
    '../outside/secret.txt',
    '/.env%',
    '/.env%2',
    '/.env%zz',
    '/%ff%fe.env',
    '/\u00e9.env',
  ])('%s gets 400', async (target) => {
    const res = await rawGet(run, target);
    expectNoLeak(res, fx.tokens, target);
    expect(res.status, `${target} -> ${res.status}`).toBe(400);
    await expectAlive(run, fx.publicText);
  });

  it('raw control and non-ASCII bytes in the target get 400', async () => {
    for (const bytes of [Buffer.from('/.env\x01'), Buffer.from([0x2f, 0x2e, 0x65, 0x6e, 0x76, 0xc3, 0xa9]), Buffer.from('/.e\x00nv')]) {
      const request = Buffer.concat([Buffer.from('GET '), bytes, Buffer.from(` HTTP/1.1\r\nHost: ${run.host}\r\nConnection: close\r\n\r\n`)]);
      const res = await rawSend(run.port, request);
      expectNoLeak(res, fx.tokens, JSON.stringify(bytes.toString('latin1')));
      expect(res.status).toBe(400);
    }
    await expectAlive(run, fx.publicText);
  });
});

describe('positive controls', () => {
  it('serves the public dir, root assets, the page and the graph of the entry', async () => {
    expect(run.server.config.server.fs.allow).toEqual([fx.root]);
    const pub = await rawGet(run, '/public-file.txt');
    expect(pub.status).toBe(200);
    expect(pub.text).toBe(fx.publicText);
    const asset = await rawGet(run, '/assets/logo.svg');
    expect(asset.status).toBe(200);
    expect(asset.text).toBe(fx.assetText);
    const page = await rawGet(run, '/', ['Accept: text/html']);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/"token":"[\w-]+"/);
    const graph = await rawGet(run, '/@devserver/graph?entry=/src/main.ts');
    expect(graph.status).toBe(200);
    const ids = (JSON.parse(graph.text) as { modules: Array<{ id: string }> }).modules.map((m) => m.id).sort();
    expect(ids).toEqual(['/src/main.ts', '/src/style.css', '/src/util.ts']);
    for (const res of [pub, asset, page, graph]) expectNoLeak(res, fx.tokens, 'positive control');
  });

  it('serves an allowed file by its /@fs/ id through the registry', async () => {
    const res = await rawGet(run, `/@devserver/modules?ids=/@fs${fx.root}/src/util.ts`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { modules: Array<{ id: string; code: string }> };
    expect(body.modules.map((m) => m.id)).toEqual([`/@fs${fx.root}/src/util.ts`]);
    expect(body.modules[0].code).toContain('const util = "util"');
  });
});

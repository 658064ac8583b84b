/**
 * The primitives composed the way the server will use them (target check -> host check ->
 * headers -> file gate -> read `realPath`), attacked over a raw socket with the encodings of
 * security.md classes 1-3 and 5. Asserts that no byte of any canary comes back, in plain,
 * base64 or hex form, and that the server keeps answering. Not a substitute for the suite
 * against the real server: that one also covers transforms, `?raw`/`?url` handling etc.
 */
import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileGate, findDefaultAllowRoot } from '../fileGate.js';
import { createSecurityHeaders } from '../headers.js';
import { createHostCheckMiddleware } from '../hostCheck.js';
import { checkRequestTarget } from '../requestTarget.js';
import { sendPlainText } from '../respond.js';
import type { SecurityMiddleware } from '../types.js';
import { createFixture, type Fixture } from './fixture.js';
import { get, rawRequest, startChain, type RawResponse, type TestServer } from './helpers.js';

let fx: Fixture;
let srv: TestServer;

function serveFiles(root: string): SecurityMiddleware {
  const gate = createFileGate({ allow: [findDefaultAllowRoot(root)] });
  return function serve(req, res) {
    const target = checkRequestTarget(req.url ?? '');
    if (!target.ok) return sendPlainText(res, target.status, target.reason);
    void (async () => {
      const r = await gate.checkUrlPath(root, target.pathname);
      if (!r.ok) return sendPlainText(res, r.reason === 'not-found' ? 404 : 403, r.reason);
      if (!(await stat(r.realPath)).isFile()) return sendPlainText(res, 404, 'not a file');
      const body = await readFile(r.realPath);
      res.writeHead(200, { 'Content-Length': body.length });
      res.end(body);
    })().catch(() => sendPlainText(res, 500, 'error'));
  };
}

beforeAll(async () => {
  fx = createFixture();
  srv = await startChain([
    createHostCheckMiddleware({ allowedHosts: [] }),
    createSecurityHeaders({ cors: true }),
    serveFiles(fx.root),
  ]);
});

afterAll(async () => {
  await srv.close();
  fx.cleanup();
});

function expectNoCanary(r: RawResponse, label: string): void {
  for (const canary of fx.canaries) {
    for (const form of [canary, Buffer.from(canary).toString('base64'), Buffer.from(canary).toString('hex')]) {
      expect(r.raw.includes(form), `${label} leaked ${canary}`).toBe(false);
    }
  }
}

const ENCODED_PATHS = [
  // class 1: traversal
  '/../../../outside/secret.txt',
  '/%2e%2e/%2e%2e/%2e%2e/outside/secret.txt',
  '/%2E%2E%2F%2E%2E%2F%2E%2E%2Foutside%2Fsecret.txt',
  '/%252e%252e/%252e%252e/%252e%252e/outside/secret.txt',
  '/..%2f..%2f..%2foutside%2fsecret.txt',
  '/..\\..\\..\\outside\\secret.txt',
  '/..%5c..%5c..%5coutside%5csecret.txt',
  '//../../../outside/secret.txt',
  '/src/../../../../outside/secret.txt',
  '/escape.txt',
  '/escape-dir/x.txt',
  '/public/abs-escape/secret.txt',
  '/.env#/../src/main.ts',
  '/src/main.ts#/../../../../outside/secret.txt',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/outside/secret.txt',
  // class 3: names
  '/.env',
  '/.ENV',
  '/.env/.',
  '/.env.',
  '/.env%20',
  '/.env%2e',
  '/%2eenv',
  '/.env%00.js',
  '/.env%3F.js',
  '/id.pem',
  '/ID.PEM.',
  '/certs/server.KEY',
  '/.npmrc',
  '/.git/config',
  '/innocent.txt',
  '/innocent-dir/server.KEY',
  '/node_modules/lib/.env',
  '/.env.local',
];
const QUERIES = ['', '?raw', '?import&raw??', '?raw??', '?inline', '?url', '?import&url', '?.svg', '?.wasm?init', '?a?b?raw', '??raw'];
const FS = (p: string): string => `/@fs${p}`;

describe('composed primitives over a raw socket', () => {
  it('serves a normal module (positive control)', async () => {
    const r = await rawRequest(srv.port, get('/src/main.ts?import', ['Host: localhost:5173']));
    expect(r.status).toBe(200);
    expect(r.body).toBe('console.log(1)');
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('leaks no canary for traversal, query and name tricks (classes 1-3)', async () => {
    const targets: string[] = [];
    for (const p of ENCODED_PATHS) for (const q of QUERIES) targets.push(p + q);
    for (const q of QUERIES) {
      targets.push(FS(`${fx.outside}/secret.txt`) + q, FS(`${fx.root}/.env`) + q, FS(`${fx.root}/../../../outside/secret.txt`) + q);
    }
    for (let i = 0; i < targets.length; i += 16) {
      const batch = targets.slice(i, i + 16);
      const responses = await Promise.all(batch.map((t) => rawRequest(srv.port, get(t, ['Host: localhost:5173']))));
      responses.forEach((r, j) => {
        expectNoCanary(r, batch[j]);
        expect([400, 403, 404], `${batch[j]} -> ${r.status}`).toContain(r.status);
      });
    }
  });

  it('refuses foreign hosts and cross-site script loads before any file is read (class 5)', async () => {
    const rebinding = await rawRequest(srv.port, get('/src/main.ts', ['Host: attacker.example:5173']));
    expect(rebinding.status).toBe(403);
    expect(rebinding.body).not.toContain('console.log');
    const script = await rawRequest(
      srv.port,
      get('/src/main.ts', ['Host: localhost:5173', 'Sec-Fetch-Site: cross-site', 'Sec-Fetch-Mode: no-cors', 'Sec-Fetch-Dest: script']),
    );
    expect(script.status).toBe(403);
    expect(script.body).not.toContain('console.log');
    const cors = await rawRequest(srv.port, get('/src/main.ts', ['Host: localhost:5173', 'Origin: https://evil.com']));
    expect(cors.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is still up and serving after all of that', async () => {
    const r = await rawRequest(srv.port, get('/index.html', ['Host: localhost']));
    expect(r.status).toBe(200);
  });
});

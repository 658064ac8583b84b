/**
 * security.md class 6 against the real server: markup in a URL, a Host header, a module
 * id or an error message never comes back unescaped in a text/html response. A response
 * that echoes the markup at all must be typed as something else (plain text, JSON) and
 * carry `nosniff`, so no browser renders it. Also a real page whose file name is markup.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecurityFixture, type SecurityFixture } from './fixture.js';
import { expectAlive, pageToken, rawGet, type RawResponse, type Running, startServer } from './harness.js';
import { connectHmr } from './wsClient.js';

let fx: SecurityFixture;
let run: Running;

const PAYLOADS = ['</script><script>alert(1)</script>', '"><script>alert(1)</script>', '<svg onload=alert(1)>', "'-alert(1)-'", '<img src=x onerror=alert(1)>'];
// What must never appear in HTML: the executable parts of the payloads.
const MARKUP = ['<script>alert(1)', '</script><script>', '<svg onload', '<img src=x onerror', '"><script'];
const PAGE_NAME = '"><img src=x onerror=alert(1)>.html';

beforeAll(async () => {
  fx = createSecurityFixture();
  mkdirSync(path.join(fx.root, 'pages'), { recursive: true });
  writeFileSync(path.join(fx.root, 'pages', PAGE_NAME), '<!doctype html><html><head></head><body><script type="module">export {};</script></body></html>\n');
  writeFileSync(path.join(fx.root, 'src', 'broken.ts'), 'const x = "</script><script>alert(1)</script>";\nconst = ;\n');
  run = await startServer(fx.root);
});

afterAll(async () => {
  await run?.server.close();
  fx?.cleanup();
});

function expectNoReflectedMarkup(res: RawResponse, label: string): void {
  const type = res.headers['content-type'] ?? '';
  const echoed = MARKUP.filter((m) => res.text.includes(m));
  if (/html|xml|svg/i.test(type) || type === '') {
    expect(echoed, `${label}: ${res.status} ${type} echoes markup`).toEqual([]);
  } else if (echoed.length) {
    expect(res.headers['x-content-type-options'], `${label}: echoes markup as ${type} without nosniff`).toBe('nosniff');
  }
}

const encodeAll = (s: string): string => [...Buffer.from(s)].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');
/** The payload as a browser would send it in a path (space, quotes, <, > encoded) and raw. */
const pathForms = (p: string): string[] => [p.replace(/ /g, '%20'), encodeURI(p), encodeAll(p)];

describe('markup in the URL', () => {
  const targets: string[] = [];
  for (const payload of PAYLOADS) {
    for (const form of pathForms(payload)) {
      targets.push(`/${form}`, `/src/${form}.ts`, `/${form}.html`, `/${form}.css`, `/${form}/`, `/?q=${form}`, `/index.html?${form}`, `/@fs/${form}`);
    }
  }

  it.each(targets)('%s', async (target) => {
    for (const accept of ['text/html,application/xhtml+xml', '*/*']) {
      const res = await rawGet(run, target, [`Accept: ${accept}`]);
      expect(res.status, target).toBeGreaterThan(0);
      expect(res.status, target).toBeLessThan(500);
      expectNoReflectedMarkup(res, `${target} (${accept})`);
    }
    await expectAlive(run, fx.publicText);
  });
});

describe('markup in module ids and error messages', () => {
  const ids = PAYLOADS.flatMap((p) => [`/${p}.ts`, `/src/${p}`, `/${p}?raw`, `/@fs/${p}.css`, `/@id/${p}`]);

  it.each(ids)('%s through the registry endpoints', async (id) => {
    for (const target of [
      `/@devserver/graph?entry=${encodeURIComponent(id)}`,
      `/@devserver/modules?ids=${encodeURIComponent(id)}`,
      `/@devserver/modules/sourcemap?id=${encodeURIComponent(id)}`,
    ]) {
      const res = await rawGet(run, target, ['Accept: text/html,*/*']);
      expectNoReflectedMarkup(res, target);
    }
    await expectAlive(run, fx.publicText);
  });

  it('a syntax error whose source line holds </script> is reported as JSON, not HTML', async () => {
    const res = await rawGet(run, '/@devserver/graph?entry=/src/broken.ts', ['Accept: text/html']);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectNoReflectedMarkup(res, 'broken.ts');
    // The websocket carries the same error as JSON; the overlay renders it as text.
    const token = await pageToken(run);
    const client = await connectHmr(run, token);
    for (const raw of client.rawMessages) expect(() => JSON.parse(raw)).not.toThrow();
    client.ws.close();
    await client.closed;
  });
});

describe('a page whose own path is markup', () => {
  it('serves it with the path escaped inside the injected scripts', async () => {
    const res = await rawGet(run, `/pages/${encodeURIComponent(PAGE_NAME)}`, ['Accept: text/html']);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expectNoReflectedMarkup(res, 'page with a markup name');
    expect(res.text).toContain('\\u003cimg src=x onerror=alert(1)>');
    await expectAlive(run, fx.publicText);
  });
});

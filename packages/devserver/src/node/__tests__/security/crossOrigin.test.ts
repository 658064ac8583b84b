/**
 * security.md class 5 against the real server: cross-origin reads (no CORS by default,
 * never `*`), cross-site `no-cors` script loads of modules, DNS rebinding (foreign Host 403,
 * malformed Host 400), and websocket hijacking (foreign, missing or `null` Origin, missing
 * or wrong token, wrong Host, wrong subprotocol). After each refusal the legitimate page
 * and websocket still work, and a refused upgrade never becomes an HMR client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecurityFixture, type SecurityFixture } from './fixture.js';
import {
  expectAlive,
  expectNoLeak,
  expectNoLeakInTexts,
  pageToken,
  rawGet,
  rawSend,
  startServer,
  type RawResponse,
  type Running,
} from './harness.js';
import { connectHmr, rawUpgrade, upgradeRequest } from './wsClient.js';

let fx: SecurityFixture;
let run: Running;
let token: string;

beforeAll(async () => {
  fx = createSecurityFixture();
  run = await startServer(fx.root);
  token = await pageToken(run);
});

afterAll(async () => {
  await run?.server.close();
  fx?.cleanup();
});

/** Module source that must not reach another site (the factory of src/util.ts and the page token). */
function expectNoSource(res: RawResponse, label: string): void {
  expectNoLeak(res, fx.tokens, label);
  expect(res.text, label).not.toContain('const util');
  expect(res.text, label).not.toContain('__vite_ssr_');
  expect(res.text, label).not.toContain(token);
}

const READ_TARGETS = ['/public-file.txt', '/assets/logo.svg', '/@devserver/graph?entry=/src/main.ts', '/@devserver/modules?ids=/src/util.ts', '/src/style.css', '/'];

describe('CORS', () => {
  it.each(READ_TARGETS)('%s: no Access-Control-Allow-Origin for any origin, CORP same-origin', async (target) => {
    for (const origin of ['http://evil.com', 'null', `http://localhost:${run.port}`, run.origin, 'http://127.0.0.1', '*']) {
      const res = await rawGet(run, target, [`Origin: ${origin}`, 'Cookie: a=b']);
      // The registry endpoints refuse other origins outright (they would build for them).
      const refused = target.startsWith('/@devserver/') && origin !== run.origin;
      expect(res.status, `${target} from ${origin}`).toBe(refused ? 403 : 200);
      if (refused) expectNoSource(res, `${target} from ${origin}`);
      expect(res.headers['access-control-allow-origin'], `${target} from ${origin}`).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('refuses preflights from foreign origins and never allows private network access', async () => {
    for (const origin of ['http://evil.com', 'null', 'http://localhost.evil.com']) {
      const res = await rawGet(
        run,
        '/@devserver/graph?entry=/src/main.ts',
        [`Origin: ${origin}`, 'Access-Control-Request-Method: GET', 'Access-Control-Request-Private-Network: true'],
        'OPTIONS',
      );
      expect(res.status).toBe(403);
      expectNoSource(res, `preflight from ${origin}`);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-private-network']).toBeUndefined();
    }
  });

  it('with cors: true, reflects loopback origins only and never answers *', async () => {
    const corsRun = await startServer(fx.root, { server: { cors: true } });
    try {
      const evil = await rawGet(corsRun, '/public-file.txt', ['Origin: http://evil.com']);
      expect(evil.headers['access-control-allow-origin']).toBeUndefined();
      const local = await rawGet(corsRun, '/public-file.txt', [`Origin: http://localhost:${corsRun.port}`]);
      expect(local.headers['access-control-allow-origin']).toBe(`http://localhost:${corsRun.port}`);
      const nul = await rawGet(corsRun, '/public-file.txt', ['Origin: null']);
      expect(nul.headers['access-control-allow-origin']).toBeUndefined();
      // A page of an allowed origin (a backend on another port) may load the registry.
      const backend = `http://localhost:${corsRun.port + 1}`;
      const graph = await rawGet(corsRun, '/@devserver/graph?entry=/src/main.ts', [`Origin: ${backend}`, 'Sec-Fetch-Site: same-site', 'Sec-Fetch-Mode: cors']);
      expect(graph.status).toBe(200);
      expect(graph.headers['access-control-allow-origin']).toBe(backend);
      const foreign = await rawGet(corsRun, '/@devserver/graph?entry=/src/main.ts', ['Origin: http://evil.com', 'Sec-Fetch-Site: cross-site', 'Sec-Fetch-Mode: cors']);
      expect(foreign.status).toBe(403);
      expectNoSource(foreign, 'registry from a foreign origin with cors: true');
    } finally {
      await corsRun.server.close();
    }
  });
});

describe('cross-site no-cors loads', () => {
  const crossSite = (dest: string) => ['Sec-Fetch-Site: cross-site', 'Sec-Fetch-Mode: no-cors', `Sec-Fetch-Dest: ${dest}`, 'Origin: http://evil.com'];

  it.each([
    '/@devserver/graph?entry=/src/main.ts',
    '/@devserver/modules?ids=/src/util.ts',
    '/@devserver/modules/sourcemap?id=/src/util.ts',
    '/@devserver/client.js',
    '/src/main.ts',
    '/src/util.ts',
    '/public-file.txt',
  ])('<script src="%s"> from another site is refused', async (target) => {
    for (const dest of ['script', 'empty', 'worker', 'object', 'iframe', 'unknown-dest']) {
      const res = await rawGet(run, target, crossSite(dest));
      expect(res.status, `${target} as ${dest}`).toBe(403);
      expectNoSource(res, `${target} as ${dest}`);
      expect(res.text).not.toContain(fx.publicText.trim());
    }
    // The same load from the page itself works.
    const same = await rawGet(run, target, ['Sec-Fetch-Site: same-origin', 'Sec-Fetch-Mode: no-cors', 'Sec-Fetch-Dest: script']);
    expect([200, 404, 500]).toContain(same.status);
    expect(same.status).not.toBe(403);
  });

  it('passive cross-site loads (an <img>) are not refused', async () => {
    const res = await rawGet(run, '/assets/logo.svg', crossSite('image'));
    expect(res.status).toBe(200);
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});

describe('DNS rebinding: the Host header', () => {
  it.each(['evil.com', 'evil.com:<port>', 'localhost.evil.com', '-', 'LOCALHOST.evil.com', '127.0.0.1.nip.io', 'attacker.com.', 'localhost-evil.com', 'xn--lcalhost-9za'])(
    'foreign Host %s gets 403 on every route',
    async (hostTemplate) => {
      const host = hostTemplate.replace('<port>', String(run.port));
      for (const target of [...READ_TARGETS, '/.env', '/@devserver/client.js']) {
        const res = await rawGet(run, target, [`Host: ${host}`]);
        expect(res.status, `${target} with Host ${host}`).toBe(403);
        expectNoSource(res, `${target} with Host ${host}`);
        expect(res.text).not.toContain(fx.publicText.trim());
      }
      await expectAlive(run, fx.publicText);
    },
  );

  it.each([
    '',
    'evil.com:abc',
    'evil.com:99999',
    '[::1',
    '[::1]x',
    'localhost:80:80',
    'http://localhost',
    'localhost/path',
    'user@localhost',
    '%6cocalhost',
    'local host',
    'localhost\tx',
    '<script>alert(1)</script>',
    '"><script>alert(1)</script>',
    '..',
  ])('malformed Host %j gets 400, never a crash', async (host) => {
    const res = await rawSend(run.port, `GET /public-file.txt HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(res.status, `Host ${JSON.stringify(host)}`).toBe(400);
    expect(res.text).not.toContain(fx.publicText.trim());
    expect(res.text).not.toContain('<script>');
    await expectAlive(run, fx.publicText);
  });

  it('a request without Host (HTTP/1.1 and HTTP/1.0) gets 400', async () => {
    for (const version of ['1.1', '1.0']) {
      const res = await rawSend(run.port, `GET /public-file.txt HTTP/${version}\r\nConnection: close\r\n\r\n`);
      expect(res.status, `HTTP/${version}`).toBe(400);
    }
    await expectAlive(run, fx.publicText);
  });

  it('loopback names and IP literals are served', async () => {
    for (const host of [`localhost:${run.port}`, `app.localhost:${run.port}`, `[::1]:${run.port}`, `127.0.0.1:${run.port}`, 'localhost.']) {
      const res = await rawGet(run, '/public-file.txt', [`Host: ${host}`]);
      expect(res.status, host).toBe(200);
    }
  });
});

describe('websocket hijacking', () => {
  const refusals: Array<[string, () => Parameters<typeof upgradeRequest>[1]]> = [
    ['a foreign Origin', () => ({ token, origin: 'http://evil.com' })],
    ['a loopback Origin on another port', () => ({ token, origin: `http://127.0.0.1:${run.port + 1}` })],
    ['an Origin that only starts like ours', () => ({ token, origin: `${run.origin}.evil.com` })],
    ['Origin: null', () => ({ token, origin: 'null' })],
    ['no Origin', () => ({ token, origin: null })],
    ['an empty Origin', () => ({ token, origin: '' })],
    ['no token', () => ({ token: null })],
    ['an empty token', () => ({ token: '' })],
    ['a wrong token of the same length', () => ({ token: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') })],
    ['the token with a different case', () => ({ token: token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase() })],
    ['the token twice', () => ({ path: `/@devserver/ws?token=${token}&token=${token}` })],
    ['the token as a prefix', () => ({ token: token + 'x' })],
    ['a foreign Host (DNS rebinding)', () => ({ token, host: `evil.com:${run.port}`, origin: `http://evil.com:${run.port}` })],
    ['a malformed Host', () => ({ token, host: 'evil.com:abc' })],
    ['no subprotocol', () => ({ token, protocol: null })],
    ['a wrong subprotocol', () => ({ token, protocol: 'vite-hmr' })],
  ];

  it.each(refusals)('refuses an upgrade with %s before the handshake', async (label, options) => {
    const before = run.server.hot.clients.size;
    const answer = await rawUpgrade(run.port, upgradeRequest(run, options()));
    answer.socket.destroy();
    expect(answer.status, `${label}: ${answer.head.split('\r\n')[0]}`).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.head).not.toContain(token);
    expect(run.server.hot.clients.size).toBe(before);
    // The legitimate client still connects.
    const client = await connectHmr(run, token);
    client.ws.close();
    await client.closed;
  });

  it('accepts the legitimate upgrade (101 with the subprotocol)', async () => {
    const answer = await rawUpgrade(run.port, upgradeRequest(run, { token }));
    expect(answer.status).toBe(101);
    expect(answer.head.toLowerCase()).toContain('sec-websocket-protocol: devserver-hmr');
    answer.socket.destroy();
  });

  it('messages from a client cannot read files or crash the server', async () => {
    const client = await connectHmr(run, token);
    const send = (value: unknown): void => client.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
    for (const id of ['/.env', '/.env?raw', `/@fs${fx.outside}/secret.txt?raw`, '/../outside/secret.txt']) {
      send({ type: 'invalidate', id, message: id });
      send({ type: 'custom', event: 'devserver:invalidate', data: { id } });
      send({ type: 'hello', buildId: null, lastSeq: -1, page: id });
      send({ type: 'hello', buildId: 'x', lastSeq: { valueOf: 1 }, page: { toString: id } });
    }
    send({ type: 'custom', event: { toString: 'x' }, data: null });
    send({ type: '__proto__', id: 1 });
    send('{"type":"log","level":"error","message":{"length":1e9}}');
    send('null');
    send('[]');
    send('{');
    client.ws.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true });
    // The server answers a round trip after all of the above, with nothing read from disk.
    const other = await connectHmr(run, token);
    run.server.hot.send('test:ping', { n: 1 });
    await client.waitFor((m) => m.type === 'custom' && m.event === 'test:ping');
    await other.waitFor((m) => m.type === 'custom' && m.event === 'test:ping');
    expectNoLeakInTexts([...client.rawMessages, ...other.rawMessages], fx.tokens, 'ws messages');
    client.ws.close();
    other.ws.close();
    await Promise.all([client.closed, other.closed]);
    await expectAlive(run, fx.publicText);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDevServerError } from '../../errors.js';
import { createHostCheck, createHostCheckMiddleware } from '../hostCheck.js';
import { get, rawRequest, startChain, type TestServer } from './helpers.js';

describe('createHostCheck (default: no extra hosts)', () => {
  const check = createHostCheck({ allowedHosts: [] });

  it.each([
    'localhost',
    'localhost:5173',
    'LOCALHOST:5173',
    'localhost.',
    'localhost.:5173',
    'app.localhost',
    'a.b.localhost:80',
    '127.0.0.1',
    '127.0.0.1:5173',
    '192.168.1.20:5173',
    '0.0.0.0:5173',
    '[::1]',
    '[::1]:5173',
    '[fe80::1]:8080',
    '[::ffff:127.0.0.1]:5173',
    'localhost:',
  ])('ok: %s', (host) => {
    expect(check(host)).toBe('ok');
  });

  it.each([
    'evil.com',
    'evil.com:5173',
    'localhost.evil.com',
    'localhost.evil.com:5173',
    'evillocalhost',
    'xlocalhost:5173',
    '127.0.0.1.evil.com',
    '127.0.0.1.nip.io',
    '2130706433',
    '0x7f.1',
    '127.1',
    'example.com',
  ])('forbidden (DNS rebinding): %s', (host) => {
    expect(check(host)).toBe('forbidden');
  });

  it.each([
    [undefined],
    [''],
    [' '],
    ['localhost:abc'],
    ['localhost:99999'],
    ['localhost:123456'],
    ['localhost:5173:1'],
    ['::1'],
    ['[::1'],
    ['[::1]x'],
    ['[::1]:abc'],
    ['[evil.com]'],
    ['[127.0.0.1]'],
    ['a..b'],
    ['.'],
    ['..'],
    ['.localhost'],
    ['evil.com/x'],
    ['user@localhost'],
    ['evil.com@localhost'],
    ['localhost#'],
    ['<script>alert(1)</script>'],
    ['"><script>alert(1)</script>'],
    ['localhost 5173'],
    ['localhost\t'],
    ['caf\u00e9.localhost'],
    ['%6cocalhost'],
    ['localhost\\evil.com'],
    ['a'.repeat(300)],
  ])('malformed: %j', (host) => {
    expect(check(host)).toBe('malformed');
  });
});

describe('createHostCheck with allowedHosts', () => {
  const check = createHostCheck({ allowedHosts: ['App.Test', '.example.com', '10.0.0.1', '[::2]'] });

  it.each(['app.test', 'APP.TEST:443', 'app.test.', 'example.com', 'a.example.com', 'a.b.example.com:5173', 'localhost'])(
    'ok: %s',
    (host) => expect(check(host)).toBe('ok'),
  );

  it.each(['sub.app.test', 'badexample.com', 'example.com.evil.net', 'exampleXcom', 'evil.com'])(
    'forbidden: %s',
    (host) => expect(check(host)).toBe('forbidden'),
  );

  it('allowedHosts: true allows every well-formed host but still reports garbage', () => {
    const all = createHostCheck({ allowedHosts: true });
    expect(all('evil.com')).toBe('ok');
    expect(all('anything.example:1')).toBe('ok');
    expect(all(undefined)).toBe('malformed');
    expect(all('<x>')).toBe('malformed');
  });

  it.each([['http://app.test'], ['app.test:5173'], ['*'], ['*.example.com'], ['.'], [''], ['a b']])(
    'refuses the config entry %j with ERR_CONFIG naming the setting',
    (entry) => {
      let thrown: unknown;
      try {
        createHostCheck({ allowedHosts: [entry] });
      } catch (error) {
        thrown = error;
      }
      expect(isDevServerError(thrown)).toBe(true);
      if (isDevServerError(thrown)) {
        expect(thrown.code).toBe('ERR_CONFIG');
        expect(thrown.message).toContain('server.allowedHosts');
        expect(thrown.details.hint).toBeTruthy();
      }
    },
  );
});

describe('createHostCheckMiddleware over a raw socket', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startChain([createHostCheckMiddleware({ allowedHosts: ['app.test'] })]);
  });
  afterAll(() => srv.close());

  it('passes allowed hosts to the next middleware', async () => {
    for (const host of ['localhost:5173', '127.0.0.1', '[::1]:5173', 'app.test', 'x.localhost']) {
      const r = await rawRequest(srv.port, get('/', [`Host: ${host}`]));
      expect(r.status).toBe(200);
      expect(r.body).toBe('END-OF-CHAIN');
    }
  });

  it('answers a foreign host with 403 and says what to configure', async () => {
    const before = srv.reachedEnd();
    const r = await rawRequest(srv.port, get('/src/main.ts', ['Host: evil.com:5173']));
    expect(r.status).toBe(403);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).toContain('server.allowedHosts');
    expect(r.body).toContain('evil.com');
    expect(srv.reachedEnd()).toBe(before);
  });

  it.each([
    ['"><script>alert(1)</script>'],
    ['<img src=x onerror=alert(1)>'],
    ['localhost:5173<script>'],
    ['evil.com:abc'],
  ])('answers the malformed Host %j with 400 and never reflects it', async (host) => {
    const r = await rawRequest(srv.port, get('/', [`Host: ${host}`]));
    expect(r.status).toBe(400);
    expect(r.body).not.toContain('<');
    expect(r.body).not.toContain(host);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('answers a missing Host with 400 (HTTP/1.1 and HTTP/1.0)', async () => {
    const r11 = await rawRequest(srv.port, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(r11.status).toBe(400);
    const r10 = await rawRequest(srv.port, 'GET / HTTP/1.0\r\n\r\n');
    expect(r10.status).toBe(400);
    expect(r10.body).toContain('Host');
  });

  it('stays up after a burst of hostile requests', async () => {
    const hosts = ['evil.com', '', '[', '::', 'a'.repeat(2000), '%00', 'x:1:2'];
    await Promise.all(hosts.map((h) => rawRequest(srv.port, get('/', [`Host: ${h}`]))));
    const r = await rawRequest(srv.port, get('/', ['Host: localhost']));
    expect(r.status).toBe(200);
  });
});

import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDevServerError } from '../../errors.js';
import { createSecurityHeaders } from '../headers.js';
import { createOriginAllowList, isLoopbackOrigin, isSameOriginRequest, originMatchesHost } from '../origin.js';
import type { CorsOption } from '../origin.js';
import { get, rawRequest, startChain, type TestServer } from './helpers.js';

function request(method: string, target: string, headerLines: string[]): string {
  return [`${method} ${target} HTTP/1.1`, 'Host: localhost:5173', ...headerLines, 'Connection: close', '', ''].join('\r\n');
}

async function withServer(cors: CorsOption, body: (srv: TestServer) => Promise<void>): Promise<void> {
  const srv = await startChain([createSecurityHeaders({ cors })]);
  try {
    await body(srv);
  } finally {
    await srv.close();
  }
}

describe('createSecurityHeaders: every response', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startChain([createSecurityHeaders({ cors: false })]);
  });
  afterAll(() => srv.close());

  it('sets CORP same-origin and nosniff, and no CORS headers', async () => {
    const r = await rawRequest(srv.port, get('/src/main.ts', ['Host: localhost']));
    expect(r.status).toBe(200);
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never sends Access-Control-Allow-Origin without configuration', async () => {
    for (const origin of ['http://localhost:3000', 'https://evil.com', 'null', 'http://127.0.0.1:5173']) {
      const r = await rawRequest(srv.port, request('GET', '/src/main.ts', [`Origin: ${origin}`]));
      expect(r.headers['access-control-allow-origin'], origin).toBeUndefined();
      expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });

  it('refuses every preflight without configuration', async () => {
    const r = await rawRequest(
      srv.port,
      request('OPTIONS', '/src/main.ts', ['Origin: http://localhost:3000', 'Access-Control-Request-Method: GET']),
    );
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(r.body).toContain('server.cors');
  });
});

describe('createSecurityHeaders: cross-site no-cors loads (class 5)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startChain([createSecurityHeaders({ cors: true })]);
  });
  afterAll(() => srv.close());

  const fetchMeta = (site: string, mode: string, dest?: string): string[] => [
    `Sec-Fetch-Site: ${site}`,
    `Sec-Fetch-Mode: ${mode}`,
    ...(dest === undefined ? [] : [`Sec-Fetch-Dest: ${dest}`]),
  ];

  it.each([['script'], ['empty'], [''], [undefined], ['worker'], ['object'], ['embed'], ['xslt'], ['unknown-future-dest']])(
    'refuses cross-site no-cors with destination %j',
    async (dest) => {
      const before = srv.reachedEnd();
      const r = await rawRequest(srv.port, request('GET', '/@devserver/modules?ids=/src/main.ts', fetchMeta('cross-site', 'no-cors', dest)));
      expect(r.status).toBe(403);
      expect(r.body).not.toContain('END-OF-CHAIN');
      expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(srv.reachedEnd()).toBe(before);
    },
  );

  it.each([
    fetchMeta('cross-site', 'no-cors', 'image'),
    fetchMeta('cross-site', 'no-cors', 'style'),
    fetchMeta('cross-site', 'no-cors', 'font'),
    fetchMeta('cross-site', 'cors', 'script'), // module scripts: CORS decides
    fetchMeta('cross-site', 'navigate', 'document'), // a link to the dev server
    fetchMeta('same-site', 'no-cors', 'script'),
    fetchMeta('same-origin', 'no-cors', 'script'),
    fetchMeta('none', 'navigate', 'document'),
    [], // curl, old browsers
  ])('passes %j (CORP still applies)', async (...lines) => {
    const r = await rawRequest(srv.port, request('GET', '/src/main.ts', lines));
    expect(r.status).toBe(200);
    expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});

describe('createSecurityHeaders: CORS', () => {
  it('cors: true reflects loopback origins only, never *', async () => {
    await withServer(true, async (srv) => {
      for (const origin of ['http://localhost:3000', 'https://localhost', 'http://app.localhost:8080', 'http://127.0.0.1:5173', 'http://127.9.8.7', 'http://[::1]:5173']) {
        const r = await rawRequest(srv.port, request('GET', '/x', [`Origin: ${origin}`]));
        expect(r.headers['access-control-allow-origin'], origin).toBe(origin);
        expect(r.headers.vary).toContain('Origin');
      }
      for (const origin of [
        'https://evil.com',
        'http://localhost.evil.com',
        'http://localhost:3000.evil.com',
        'http://127.0.0.1.evil.com',
        'http://evil.com#@localhost',
        'http://localhost@evil.com',
        'http://[::1].evil.com',
        'http://128.0.0.1',
        'file://',
        'null',
        '*',
        '',
      ]) {
        const r = await rawRequest(srv.port, request('GET', '/x', [`Origin: ${origin}`]));
        expect(r.headers['access-control-allow-origin'], origin).toBeUndefined();
      }
    });
  });

  it('answers preflights from allowed origins and no one else', async () => {
    await withServer({ origin: ['https://app.example.com', 'http://localhost:3000'] }, async (srv) => {
      const ok = await rawRequest(
        srv.port,
        request('OPTIONS', '/api', [
          'Origin: https://app.example.com',
          'Access-Control-Request-Method: POST',
          'Access-Control-Request-Headers: content-type, x-custom',
        ]),
      );
      expect(ok.status).toBe(204);
      expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(ok.headers['access-control-allow-methods']).toContain('POST');
      expect(ok.headers['access-control-allow-headers']).toBe('content-type, x-custom');
      expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
      expect(ok.headers['access-control-allow-private-network']).toBeUndefined();
      expect(srv.reachedEnd()).toBe(0);

      const bad = await rawRequest(
        srv.port,
        request('OPTIONS', '/api', ['Origin: https://evil.com', 'Access-Control-Request-Method: POST']),
      );
      expect(bad.status).toBe(403);
      expect(bad.headers['access-control-allow-origin']).toBeUndefined();

      const sameButHttp = await rawRequest(srv.port, request('GET', '/x', ['Origin: http://app.example.com']));
      expect(sameButHttp.headers['access-control-allow-origin']).toBeUndefined();
      const defaultPort = await rawRequest(srv.port, request('GET', '/x', ['Origin: https://app.example.com:443']));
      expect(defaultPort.headers['access-control-allow-origin']).toBe('https://app.example.com:443');
      const loopbackNotListed = await rawRequest(srv.port, request('GET', '/x', ['Origin: http://localhost:4000']));
      expect(loopbackNotListed.headers['access-control-allow-origin']).toBeUndefined();

      // A plain OPTIONS (not a preflight) goes on down the chain.
      const plain = await rawRequest(srv.port, request('OPTIONS', '/x', []));
      expect(plain.status).toBe(200);
    });
  });

  it('does not reflect request headers that are not a token list', async () => {
    await withServer(true, async (srv) => {
      const r = await rawRequest(
        srv.port,
        request('OPTIONS', '/x', ['Origin: http://localhost:3000', 'Access-Control-Request-Method: GET', 'Access-Control-Request-Headers: a b, <c>']),
      );
      expect(r.status).toBe(204);
      expect(r.headers['access-control-allow-headers']).toBeUndefined();
    });
  });

  it.each([['*'], ['null'], ['localhost:3000'], ['app.example.com']])('refuses cors.origin %j with ERR_CONFIG', (origin) => {
    let thrown: unknown;
    try {
      createOriginAllowList({ origin });
    } catch (error) {
      thrown = error;
    }
    expect(isDevServerError(thrown) && thrown.code === 'ERR_CONFIG').toBe(true);
  });
});

describe('origin helpers', () => {
  it('originMatchesHost ignores default ports and case, nothing else', () => {
    expect(originMatchesHost('http://localhost:5173', 'localhost:5173')).toBe(true);
    expect(originMatchesHost('http://LOCALHOST:5173', 'localhost:5173')).toBe(true);
    expect(originMatchesHost('http://localhost', 'localhost:80')).toBe(true);
    expect(originMatchesHost('https://localhost', 'localhost:443')).toBe(true);
    expect(originMatchesHost('http://[::1]:5173', '[::1]:5173')).toBe(true);
    expect(originMatchesHost('http://localhost:5174', 'localhost:5173')).toBe(false);
    expect(originMatchesHost('http://localhost', 'localhost:443')).toBe(false);
    expect(originMatchesHost('http://evil.com', 'localhost')).toBe(false);
    expect(originMatchesHost('null', 'localhost')).toBe(false);
    expect(originMatchesHost('ws://localhost', 'localhost')).toBe(false);
    expect(originMatchesHost('http://localhost', undefined)).toBe(false);
  });

  it('isLoopbackOrigin', () => {
    expect(isLoopbackOrigin('http://localhost')).toBe(true);
    expect(isLoopbackOrigin('http://127.0.0.1:1')).toBe(true);
    expect(isLoopbackOrigin('http://127.0.0.256')).toBe(false);
    expect(isLoopbackOrigin('http://localhost:abc')).toBe(false);
    expect(isLoopbackOrigin('ftp://localhost')).toBe(false);
  });

  it('isSameOriginRequest needs positive evidence', () => {
    const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as IncomingMessage;
    expect(isSameOriginRequest(req({ 'sec-fetch-site': 'same-origin' }))).toBe(true);
    expect(isSameOriginRequest(req({ 'sec-fetch-site': 'none' }))).toBe(true);
    expect(isSameOriginRequest(req({ 'sec-fetch-site': 'same-site' }))).toBe(false);
    expect(isSameOriginRequest(req({ 'sec-fetch-site': 'cross-site', origin: 'http://localhost:5173', host: 'localhost:5173' }))).toBe(false);
    expect(isSameOriginRequest(req({ origin: 'http://localhost:5173', host: 'localhost:5173' }))).toBe(true);
    expect(isSameOriginRequest(req({ origin: 'http://evil.com', host: 'localhost:5173' }))).toBe(false);
    expect(isSameOriginRequest(req({ host: 'localhost:5173' }))).toBe(false);
  });
});

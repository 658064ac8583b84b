import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { HMR_SUBPROTOCOL } from '../../../shared/constants.js';
import { createHostCheck } from '../hostCheck.js';
import { createToken, createUpgradeCheck, rejectUpgrade } from '../wsAuth.js';
import { parseRawResponse, type RawResponse } from './helpers.js';

const TOKEN = createToken();
const hostCheck = createHostCheck({ allowedHosts: [] });
const check = createUpgradeCheck({
  token: TOKEN,
  subprotocol: HMR_SUBPROTOCOL,
  hostCheck,
  allowedOrigins: (origin) => origin === 'http://localhost:3000',
});

function req(url: string, headers: IncomingHttpHeaders): IncomingMessage {
  return { url, headers } as IncomingMessage;
}

const good: IncomingHttpHeaders = {
  host: 'localhost:5173',
  origin: 'http://localhost:5173',
  'sec-websocket-protocol': HMR_SUBPROTOCOL,
};
const goodUrl = `/@devserver/ws?token=${TOKEN}`;

describe('createToken', () => {
  it('is url-safe, at least 128 bits, and different every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, createToken));
    expect(tokens.size).toBe(200);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(t.length * 6).toBeGreaterThanOrEqual(128);
    }
  });
});

describe('createUpgradeCheck', () => {
  it('accepts a same-origin client with the right token and subprotocol', () => {
    expect(check(req(goodUrl, good))).toEqual({ ok: true });
    expect(check(req(goodUrl, { ...good, 'sec-websocket-protocol': `other, ${HMR_SUBPROTOCOL}` }))).toEqual({ ok: true });
    expect(check(req(`${goodUrl}&t=1`, { ...good, host: '127.0.0.1:5173', origin: 'http://127.0.0.1:5173' }))).toEqual({ ok: true });
    expect(check(req(goodUrl, { ...good, origin: 'http://localhost:3000' }))).toEqual({ ok: true }); // allowed origin
  });

  it.each<[string, IncomingHttpHeaders, number]>([
    // Host (DNS rebinding)
    ['malformed host', { ...good, host: 'localhost:x' }, 400],
    ['missing host', { ...good, host: undefined }, 400],
    ['foreign host', { ...good, host: 'evil.com:5173', origin: 'http://evil.com:5173' }, 403],
    // Origin (hijacking)
    ['missing origin', { ...good, origin: undefined }, 403],
    ['empty origin', { ...good, origin: '' }, 403],
    ['null origin', { ...good, origin: 'null' }, 403],
    ['foreign origin', { ...good, origin: 'https://evil.com' }, 403],
    ['other port', { ...good, origin: 'http://localhost:5174' }, 403],
    ['lookalike origin', { ...good, origin: 'http://localhost:5173.evil.com' }, 403],
    ['origin with path', { ...good, origin: 'http://localhost:5173/' }, 403],
    // Subprotocol
    ['missing subprotocol', { ...good, 'sec-websocket-protocol': undefined }, 400],
    ['wrong subprotocol', { ...good, 'sec-websocket-protocol': 'chat' }, 400],
    ['prefix of subprotocol', { ...good, 'sec-websocket-protocol': `${HMR_SUBPROTOCOL}-x` }, 400],
    ['subprotocol case', { ...good, 'sec-websocket-protocol': HMR_SUBPROTOCOL.toUpperCase() }, 400],
  ])('refuses %s', (_name, headers, status) => {
    const r = check(req(goodUrl, headers));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(status);
  });

  it.each([
    ['no token', '/@devserver/ws'],
    ['empty token', '/@devserver/ws?token='],
    ['wrong token, same length', `/@devserver/ws?token=${TOKEN.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`],
    ['shorter token', `/@devserver/ws?token=${TOKEN.slice(0, -1)}`],
    ['longer token', `/@devserver/ws?token=${TOKEN}x`],
    ['multibyte token', `/@devserver/ws?token=${encodeURIComponent('é'.repeat(TOKEN.length))}`],
    ['two tokens', `/@devserver/ws?token=${TOKEN}&token=${TOKEN}`],
    ['token in the path', `/@devserver/ws/${TOKEN}`],
    ['token in a fragment', `/@devserver/ws?x=1#token=${TOKEN}`],
    ['other parameter', `/@devserver/ws?tokenx=${TOKEN}`],
  ])('refuses %s with 401 and never throws', (_name, url) => {
    const r = check(req(url, good));
    expect(r).toMatchObject({ ok: false, status: 401 });
  });

  it('checks origin before the token (a foreign page learns nothing about it)', () => {
    expect(check(req('/@devserver/ws', { ...good, origin: 'https://evil.com' }))).toMatchObject({ status: 403 });
  });

  it('refuses an empty token at creation', () => {
    expect(() => createUpgradeCheck({ token: '', subprotocol: 'x', hostCheck, allowedOrigins: () => false })).toThrow();
  });
});

describe('rejectUpgrade', () => {
  it('writes a minimal response, strips CR/LF from the reason and closes', async () => {
    const socket = new PassThrough();
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    rejectUpgrade(socket, 403, 'nope\r\nSet-Cookie: a=b');
    await closed;
    const r = parseRawResponse(Buffer.concat(chunks).toString());
    expect(r.status).toBe(403);
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.headers.connection).toBe('close');
    expect(r.body).toBe('nope  Set-Cookie: a=b\n');
  });

  it('is harmless on a destroyed socket', () => {
    const socket = new PassThrough();
    socket.destroy();
    expect(() => rejectUpgrade(socket, 401, 'x')).not.toThrow();
  });
});

describe('upgrade check on a real server', () => {
  let server: Server;
  let wss: WebSocketServer;
  let port: number;

  beforeAll(async () => {
    wss = new WebSocketServer({ noServer: true, handleProtocols: (set) => (set.has(HMR_SUBPROTOCOL) ? HMR_SUBPROTOCOL : false) });
    server = createServer((_req, res) => res.end('http ok'));
    server.on('upgrade', (request: IncomingMessage, socket, head) => {
      const r = check(request);
      if (!r.ok) return rejectUpgrade(socket, r.status, r.reason);
      wss.handleUpgrade(request, socket, head, (ws) => ws.send('hello'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function rawUpgrade(lines: string[]): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => resolve(parseRawResponse(Buffer.concat(chunks).toString('latin1'))));
      socket.write(
        [
          `GET /@devserver/ws?token=${TOKEN} HTTP/1.1`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          ...lines,
          '',
          '',
        ].join('\r\n'),
      );
    });
  }

  it('refuses a client that sends no Origin, over a raw socket, and closes the connection', async () => {
    const r = await rawUpgrade([`Host: 127.0.0.1:${port}`, `Sec-WebSocket-Protocol: ${HMR_SUBPROTOCOL}`]);
    expect(r.status).toBe(403);
    expect(r.raw).not.toContain('101');
  });

  it('refuses a rebinding Host and a null Origin', async () => {
    const rebinding = await rawUpgrade(['Host: evil.com', 'Origin: http://evil.com', `Sec-WebSocket-Protocol: ${HMR_SUBPROTOCOL}`]);
    expect(rebinding.status).toBe(403);
    const nullOrigin = await rawUpgrade([`Host: 127.0.0.1:${port}`, 'Origin: null', `Sec-WebSocket-Protocol: ${HMR_SUBPROTOCOL}`]);
    expect(nullOrigin.status).toBe(403);
  });

  it('lets the real client in and refuses a wrong token, and stays up', async () => {
    const wrong = new WebSocket(`ws://127.0.0.1:${port}/@devserver/ws?token=wrong`, HMR_SUBPROTOCOL, {
      origin: `http://127.0.0.1:${port}`,
    });
    const status = await new Promise<number>((resolve) => {
      wrong.on('unexpected-response', (_r, res) => resolve(res.statusCode ?? 0));
      wrong.on('error', () => resolve(-1));
    });
    expect(status).toBe(401);

    const client = new WebSocket(`ws://127.0.0.1:${port}/@devserver/ws?token=${TOKEN}`, HMR_SUBPROTOCOL, {
      origin: `http://127.0.0.1:${port}`,
    });
    const first = await new Promise<string>((resolve, reject) => {
      client.on('message', (data: Buffer) => resolve(data.toString()));
      client.on('error', reject);
    });
    expect(first).toBe('hello');
    expect(client.protocol).toBe(HMR_SUBPROTOCOL);
    client.close();
  });
});

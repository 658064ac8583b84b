/**
 * The drain of an old backend process, in-process on a real http server: a request in
 * flight finishes (with `Connection: close`), a request that arrives on an open keep-alive
 * connection is answered and that connection closed, idle connections are closed after the
 * grace, and a request that never ends cannot hold the process forever.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trackConnections, type ConnectionDrainer } from '../connectionDrainer.js';
import { get } from './fixture.js';

let server: http.Server;
let drainer: ConnectionDrainer;
let release: Array<() => void> = [];
let arrived: Array<() => void> = [];
const agents: http.Agent[] = [];

/** A server whose `/slow` answers only when the test calls `release`. */
async function start(keepAliveTimeout = 300): Promise<string> {
  server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      release.push(() => res.end('slow done'));
      arrived.splice(0).forEach((resolve) => resolve());
      return;
    }
    res.end('fast');
  });
  server.keepAliveTimeout = keepAliveTimeout;
  drainer = trackConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

function stopAccepting(): void {
  net.Server.prototype.close.call(server, () => undefined);
}

const keepAliveAgent = () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
};

afterEach(() => {
  release.splice(0).forEach((r) => r());
  agents.splice(0).forEach((a) => a.destroy());
  server.closeAllConnections();
  server.close();
});

describe('connection drainer', () => {
  it('lets a request in flight finish, marked Connection: close', async () => {
    const url = await start();
    const slowArrived = new Promise<void>((resolve) => arrived.push(resolve));
    const response = get(`${url}/slow`, keepAliveAgent());
    await slowArrived;
    stopAccepting();
    const drained = drainer.drain({ idleGraceMs: 50, timeoutMs: 10_000 });
    release.shift()!();
    const result = await response;
    expect(result).toMatchObject({ ok: true, status: 200, body: 'slow done' });
    expect(result.ok && result.headers.connection).toBe('close');
    expect(await drained).toBe('drained');
    expect(drainer.size).toBe(0);
  });

  it('answers a new request on an open keep-alive connection, then closes it', async () => {
    // Node's client keeps a connection for the server's `Keep-Alive: timeout=<s>` minus 1 s.
    const url = await start(2000);
    const agent = keepAliveAgent();
    expect(await get(`${url}/`, agent)).toMatchObject({ ok: true, body: 'fast' });
    stopAccepting();
    const drained = drainer.drain({ idleGraceMs: 10_000, timeoutMs: 20_000 });
    // Same (pooled) connection: the old process still answers on it.
    const again = await get(`${url}/`, agent);
    expect(again.ok ? again.body : again.error).toBe('fast');
    expect(again.ok && again.headers.connection).toBe('close');
    expect(await drained).toBe('drained');
  });

  it('closes connections left idle for the grace period (the server keep-alive timeout)', async () => {
    const url = await start();
    const agent = keepAliveAgent();
    expect(await get(`${url}/`, agent)).toMatchObject({ ok: true });
    const idleSocket = new net.Socket();
    await new Promise<void>((resolve) => idleSocket.connect(new URL(url).port ? Number(new URL(url).port) : 80, '127.0.0.1', resolve));
    stopAccepting();
    const started = performance.now();
    expect(await drainer.drain({ idleGraceMs: 20, timeoutMs: 10_000 })).toBe('drained');
    // Not sooner than the app's own keepAliveTimeout (300 ms here).
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    idleSocket.destroy();
  });

  it('gives up after the timeout when a request never finishes', async () => {
    const url = await start();
    const slowArrived = new Promise<void>((resolve) => arrived.push(resolve));
    void get(`${url}/slow`, false);
    await slowArrived;
    stopAccepting();
    expect(await drainer.drain({ idleGraceMs: 10, timeoutMs: 200 })).toBe('timeout');
  });
});

/**
 * security.md class 7 against the real server, with bounded counts and times (127.0.0.1
 * only): a 50 MB file is served with Range and streamed with backpressure (a client that
 * stops reading does not make the server buffer the file, and others keep being answered);
 * a flood of websocket frames and oversized frames leave the server up and another client
 * still gets its update; a few hundred concurrent connections (idle, half-sent, keep-alive)
 * do not stop the server answering, and all go away when closed; a page of another site
 * cannot make the server build and keep modules (memory) through the registry endpoints.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CLIENT_MESSAGE_BYTES } from '../../../shared/constants.js';
import { createSecurityFixture, type SecurityFixture } from './fixture.js';
import { expectAlive, expectNoLeakInTexts, openSocket, pageToken, rawGet, startServer, type Running } from './harness.js';
import { connectHmr, rawUpgrade, upgradeRequest } from './wsClient.js';

const BIG_SIZE = 50 * 1024 * 1024;
const MB = 1024 * 1024;

let fx: SecurityFixture;
let run: Running;
let token: string;
let big: Buffer;

beforeAll(async () => {
  fx = createSecurityFixture();
  big = Buffer.alloc(BIG_SIZE);
  for (let i = 0; i < BIG_SIZE; i += 4) big.writeUInt32LE(i, i); // every 4-byte word is its own offset
  writeFileSync(path.join(fx.root, 'assets', 'video.mp4'), big);
  run = await startServer(fx.root);
  token = await pageToken(run);
}, 30_000);

afterAll(async () => {
  await run?.server.close();
  fx?.cleanup();
});

/** Timed positive control: the public file, the page and the entry graph. */
async function expectResponsive(maxMs: number): Promise<void> {
  const started = performance.now();
  await expectAlive(run, fx.publicText, maxMs);
  const graph = await rawGet(run, '/@devserver/graph?entry=/src/main.ts');
  expect(graph.status).toBe(200);
  expect(performance.now() - started).toBeLessThan(maxMs);
}

describe('a 50 MB file', () => {
  it('answers Range requests with exactly the bytes asked for', async () => {
    const cases: Array<[string, number, number]> = [
      ['bytes=0-99', 0, 99],
      ['bytes=-100', BIG_SIZE - 100, BIG_SIZE - 1],
      [`bytes=${BIG_SIZE - 64}-`, BIG_SIZE - 64, BIG_SIZE - 1],
      ['bytes=1048576-2097151', MB, 2 * MB - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await rawGet(run, '/assets/video.mp4', [`Range: ${range}`]);
      expect(res.status, range).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${BIG_SIZE}`);
      expect(res.body.equals(big.subarray(start, end + 1)), range).toBe(true);
    }
    for (const range of [`bytes=${BIG_SIZE}-`, 'bytes=100-50']) {
      const res = await rawGet(run, '/assets/video.mp4', [`Range: ${range}`]);
      expect(res.status, range).toBe(416);
      expect(res.body.length).toBe(0);
    }
    const head = await rawGet(run, '/assets/video.mp4', [], 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(BIG_SIZE));
    expect(head.body.length).toBe(0);
  });

  it('streams with backpressure: stalled downloads hold no copy of the file, others are answered', async () => {
    const baseline = process.memoryUsage().arrayBuffers;
    // Three clients start a full download, read the first chunk, then stop reading.
    const stalled: Array<{ socket: Socket; received: () => number; done: Promise<void> }> = [];
    for (let i = 0; i < 3; i++) {
      const socket = await openSocket(run.port);
      let received = 0;
      const firstChunk = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.on('data', (c: Buffer) => (received += c.length));
      const done = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(`GET /assets/video.mp4 HTTP/1.1\r\nHost: ${run.host}\r\nConnection: close\r\n\r\n`);
      await firstChunk;
      socket.pause();
      stalled.push({ socket, received: () => received, done });
    }
    // While they stall, everyone else is answered quickly.
    for (let i = 0; i < 10; i++) await expectResponsive(1_000);
    const growth = process.memoryUsage().arrayBuffers - baseline;
    // A server that buffered the file would hold up to 3 x 50 MB here.
    expect(growth, `arrayBuffers grew by ${(growth / MB).toFixed(1)} MB`).toBeLessThan(40 * MB);
    // Resumed, each download completes with every byte.
    for (const s of stalled) s.socket.resume();
    await Promise.all(stalled.map((s) => s.done));
    for (const s of stalled) expect(s.received()).toBeGreaterThan(BIG_SIZE);
    await expectResponsive(1_000);
  }, 20_000);
});

describe('websocket abuse', () => {
  it('a flood of 1,000 frames and oversized frames leave the server up; another client still gets its update', async () => {
    const graph = await rawGet(run, '/@devserver/graph?entry=/src/main.ts');
    expect(graph.status).toBe(200);
    const flooder = await connectHmr(run, token);
    const bystander = await connectHmr(run, token);
    const shapes: Array<string | Buffer> = [
      '{',
      'null',
      '[]',
      '"x"',
      '{"type":"custom","event":"x","data":' + '['.repeat(500) + ']'.repeat(500) + '}',
      JSON.stringify({ type: 'custom', event: { toString: 1 }, data: null }),
      JSON.stringify({ type: 'hello', buildId: 'x', lastSeq: 1e308, page: '/../.env' }),
      JSON.stringify({ type: 'hello', buildId: null, lastSeq: -1, page: null }),
      JSON.stringify({ type: 'invalidate', id: '/.env?raw', message: 'x'.repeat(1000) }),
      JSON.stringify({ type: 'log', level: 'error', message: 'y'.repeat(10_000) }),
      JSON.stringify({ type: 'custom', event: 'devserver:invalidate', data: { id: `/@fs${fx.outside}/secret.txt?raw` } }),
      JSON.stringify({ __proto__: { type: 'hello' } }),
      Buffer.from([0, 1, 2, 0xff]),
    ];
    for (let i = 0; i < 1_000; i++) {
      const shape = shapes[i % shapes.length];
      flooder.ws.send(shape, { binary: Buffer.isBuffer(shape) });
    }
    // Near the limit is still a message; every frame above was read and none crashed the server.
    flooder.ws.send(JSON.stringify({ type: 'custom', event: 'big', data: 'z'.repeat(MAX_CLIENT_MESSAGE_BYTES - 100) }));
    run.server.hot.send('test:after-flood', { ok: true });
    await flooder.waitFor((m) => m.type === 'custom' && m.event === 'test:after-flood', 10_000);
    await bystander.waitFor((m) => m.type === 'custom' && m.event === 'test:after-flood');

    // One byte over the limit: that client is dropped with 1009, nobody else.
    flooder.ws.send('x'.repeat(MAX_CLIENT_MESSAGE_BYTES + 1));
    expect(await flooder.closed).toBe(1009);

    // A raw frame header that claims 1 GB: the server closes without waiting for (or allocating) it.
    const raw = await rawUpgrade(run.port, upgradeRequest(run, { token }));
    expect(raw.status).toBe(101);
    const rawClosed = new Promise<void>((resolve) => raw.socket.once('close', () => resolve()));
    raw.socket.on('error', () => {});
    const header = Buffer.alloc(14);
    header[0] = 0x81; // FIN, text
    header[1] = 0x80 | 127; // masked, 64-bit length
    header.writeBigUInt64BE(BigInt(1024 * MB), 2);
    raw.socket.write(header);
    await rawClosed;

    // The bystander still receives a real update when a module changes.
    writeFileSync(path.join(fx.root, 'src', 'util.ts'), "export const util: string = 'util after flood';\n");
    const update = await bystander.waitFor((m) => m.type === 'update', 10_000);
    expect(JSON.stringify(update)).toContain('/src/util.ts');
    expectNoLeakInTexts([...flooder.rawMessages, ...bystander.rawMessages], fx.tokens, 'ws messages');
    expect(run.server.hot.clients.size).toBe(1);
    bystander.ws.close();
    await bystander.closed;
    await expectResponsive(1_000);
  }, 30_000);

  it('a hundred refused upgrades at once are all answered and closed', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        rawUpgrade(run.port, upgradeRequest(run, i % 2 ? { token: 'wrong' } : { token, origin: 'http://evil.com' })),
      ),
    );
    for (const a of answers) {
      expect(a.status).toBeGreaterThanOrEqual(400);
      expect(a.socket.destroyed || a.socket.readableEnded).toBe(true);
    }
    expect(run.server.hot.clients.size).toBe(0);
    await expectResponsive(1_000);
  });
});

describe('another site cannot grow the module graph', () => {
  it('cross-site registry requests are refused before any module is built or kept', async () => {
    const before = run.server.moduleGraph.size;
    const ids = (n: number, tag: string) => Array.from({ length: 1_000 }, (_, i) => `/${tag}${n}-${i}.ts`).join(',');
    const crossSite = [
      // fetch() from another site's page: a simple CORS GET, sent without a preflight.
      ['Origin: http://evil.com', 'Sec-Fetch-Site: cross-site', 'Sec-Fetch-Mode: cors', 'Sec-Fetch-Dest: empty'],
      // <img src> from another site: a passive no-cors load without Origin.
      ['Sec-Fetch-Site: cross-site', 'Sec-Fetch-Mode: no-cors', 'Sec-Fetch-Dest: image'],
      // Another local dev server (same site, other port), and an old browser that sends only Origin.
      ['Origin: http://localhost:1', 'Sec-Fetch-Site: same-site', 'Sec-Fetch-Mode: cors'],
      ['Origin: http://evil.com'],
      ['Origin: null'],
    ];
    for (const [n, headers] of crossSite.entries()) {
      for (const target of [`/@devserver/modules?ids=${ids(n, 'm')}`, `/@devserver/graph?entry=/g${n}.ts`]) {
        const res = await rawGet(run, target, headers);
        expect(res.status, `${target.slice(0, 40)} with ${headers.join('; ')}`).toBe(403);
      }
    }
    // A cross-site <link rel=stylesheet> is passive and allowed, but made-up names build nothing.
    for (let i = 0; i < 200; i++) {
      const res = await rawGet(run, `/made-up-${i}.css`, ['Sec-Fetch-Site: cross-site', 'Sec-Fetch-Mode: no-cors', 'Sec-Fetch-Dest: style']);
      expect(res.status).toBe(404);
    }
    expect(run.server.moduleGraph.size).toBe(before);
    // The page itself (same-origin fetch) and tools without Fetch Metadata are still answered.
    const own = await rawGet(run, '/@devserver/graph?entry=/src/main.ts', ['Sec-Fetch-Site: same-origin', 'Sec-Fetch-Mode: cors', `Origin: ${run.origin}`]);
    expect(own.status).toBe(200);
    await expectResponsive(1_000);
  });
});

describe('many connections', () => {
  async function serverConnections(): Promise<number> {
    return new Promise((resolve, reject) => run.server.httpServer!.getConnections((e, n) => (e ? reject(e) : resolve(n))));
  }

  it('a few hundred concurrent connections (idle, half-sent, keep-alive) do not stop the server; closing them frees them', async () => {
    const sockets: Socket[] = [];
    const open = async (kind: 'idle' | 'half' | 'keepalive'): Promise<void> => {
      const socket = await openSocket(run.port);
      socket.on('error', () => {});
      sockets.push(socket);
      if (kind === 'half') socket.write(`GET /public-file.txt HTTP/1.1\r\nHost: ${run.host}\r\nX-Slow: `);
      if (kind === 'keepalive') {
        await new Promise<void>((resolve) => {
          let data = '';
          socket.on('data', (c: Buffer) => {
            data += c.toString('latin1');
            if (data.endsWith(fx.publicText)) resolve();
          });
          socket.write(`GET /public-file.txt HTTP/1.1\r\nHost: ${run.host}\r\nConnection: keep-alive\r\n\r\n`);
        });
      }
    };
    const kinds = ['idle', 'half', 'keepalive'] as const;
    await Promise.all(Array.from({ length: 300 }, (_, i) => open(kinds[i % 3])));
    expect(await serverConnections()).toBeGreaterThanOrEqual(300);
    await expectResponsive(1_000);
    const ws = await connectHmr(run, token);
    ws.ws.close();
    await ws.closed;

    // A burst of 200 requests at once is answered in full.
    const burst = await Promise.all(Array.from({ length: 200 }, () => rawGet(run, '/public-file.txt')));
    for (const res of burst) expect(res.text).toBe(fx.publicText);

    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => (s.once('close', () => resolve()), s.destroy()))));
    // The server notices every close (bounded wait on its own count, no fixed sleep).
    const deadline = performance.now() + 5_000;
    while ((await serverConnections()) > 0 && performance.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(await serverConnections()).toBe(0);
    await expectResponsive(1_000);
  }, 30_000);
});

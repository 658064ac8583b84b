/**
 * What users embedding devserver expect besides middleware mode: `server.proxy` (HTTP,
 * rewrite, websockets, a clear 502) and HTTPS with a given key and certificate (page and
 * HMR websocket over TLS).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createServer, type DevServer } from '../server.js';
import { HMR_PATH, HMR_SUBPROTOCOL } from '../../shared/constants.js';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-embed-'));
  await fs.mkdir(path.join(root, 'src'));
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><h1>embedded</h1><script type="module" src="/src/main.ts"></script>');
  await fs.writeFile(path.join(root, 'src/main.ts'), 'export const a = 1;\n');
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('server.proxy', () => {
  let backend: http.Server;
  let target: string;
  let server: DevServer;
  let base: string;

  beforeAll(async () => {
    backend = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ path: req.url, host: req.headers.host }));
    });
    const echo = new WebSocketServer({ server: backend, path: '/api/ws' });
    echo.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo:${m}`)));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
    server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: {
        port: 0,
        host: '127.0.0.1',
        proxy: {
          '/api': { target, ws: true },
          '/rw': { target, changeOrigin: true, rewrite: (p) => p.replace(/^\/rw/, '/api') },
          '/down': 'http://127.0.0.1:1',
        },
      },
    });
    await server.listen();
    base = server.resolvedUrls!.local[0];
  });
  afterAll(async () => {
    await server.close();
    backend.closeAllConnections();
    await new Promise((r) => backend.close(r));
  });

  it('forwards a path prefix', async () => {
    expect(await (await fetch(`${base}api/hello?x=1`)).json()).toMatchObject({ path: '/api/hello?x=1' });
  });

  it('rewrites the path and, with changeOrigin, the Host header', async () => {
    const body = (await (await fetch(`${base}rw/hello`)).json()) as { path: string; host: string };
    expect(body.path).toBe('/api/hello');
    expect(body.host).toBe(new URL(target).host);
  });

  it('forwards websockets of ws: true rules, and never the HMR socket', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}api/ws`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send('hi');
    expect(String(await new Promise((resolve) => ws.once('message', resolve)))).toBe('echo:hi');
    ws.close();
    const hmr = new WebSocket(`${base.replace('http', 'ws')}${HMR_PATH.slice(1)}?token=wrong`, HMR_SUBPROTOCOL, { headers: { Origin: base.slice(0, -1) } });
    const status = await new Promise((resolve) => hmr.on('unexpected-response', (_q, res) => resolve(res.statusCode)));
    expect(status).toBe(401);
  });

  it('answers 502 naming the target when it does not answer', async () => {
    const res = await fetch(`${base}down/x`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('devserver proxy: http://127.0.0.1:1 did not answer (ECONNREFUSED)');
  });
});

describe('https', () => {
  it('serves the page and the HMR websocket over TLS with the given key and certificate', async () => {
    const keyFile = path.join(root, 'key.pem');
    const certFile = path.join(root, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const server = await createServer({
      root,
      configFile: false,
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1', https: { key: await fs.readFile(keyFile), cert: await fs.readFile(certFile) } },
    });
    await server.listen();
    const base = server.resolvedUrls!.local[0];
    expect(base).toMatch(/^https:\/\//);
    const html = await new Promise<string>((resolve, reject) => {
      https.get(base, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(html).toContain('<h1>embedded</h1>');
    const token = /"token":"([^"]+)"/.exec(html)![1];
    const ws = new WebSocket(`${base.replace('https', 'wss')}${HMR_PATH.slice(1)}?token=${token}`, HMR_SUBPROTOCOL, {
      headers: { Origin: base.slice(0, -1) },
      rejectUnauthorized: false,
    });
    const first = await new Promise<string>((resolve, reject) => ws.once('message', (m) => resolve(String(m))).once('error', reject));
    expect(JSON.parse(first)).toMatchObject({ type: 'connected' });
    ws.close();
    await server.close();
  });
});

describe('base path in middleware mode', () => {
  it('serves the app under the base and hands every other path to the host app', async () => {
    const host = http.createServer();
    const server = await createServer({ root, configFile: false, logLevel: 'silent', base: '/app/', middlewareMode: true, httpServer: host });
    host.on('request', (req, res) =>
      server.middlewares(req, res, () => {
        res.statusCode = 404;
        res.end(`host app: ${req.url}`);
      }),
    );
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
    const page = await (await fetch(`${base}/app/`)).text();
    expect(page).toContain('<h1>embedded</h1>');
    expect(page).toContain('"/app/@devserver/client.js"');
    expect((await fetch(`${base}/app/@devserver/client.js`)).status).toBe(200);
    const other = await fetch(`${base}/api/x`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('host app: /api/x');
    await server.close();
    host.closeAllConnections();
    await new Promise((r) => host.close(r));
  });
});

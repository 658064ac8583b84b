/**
 * Test helpers: a tiny connect-style chain on a real http server (127.0.0.1, port 0) and a
 * raw-socket client, so requests reach the middleware exactly as written (no client-side
 * URL or header normalisation).
 */
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SecurityMiddleware } from '../types.js';

export interface RawResponse {
  raw: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface TestServer {
  server: Server;
  port: number;
  /** How many requests reached the end of the chain. */
  reachedEnd(): number;
  close(): Promise<void>;
}

export async function startChain(middlewares: SecurityMiddleware[]): Promise<TestServer> {
  let reached = 0;
  const server = createServer((req, res) => {
    let i = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined) {
        res.statusCode = 500;
        res.end('error');
        return;
      }
      const mw = middlewares[i++];
      if (mw) return mw(req, res, next);
      reached++;
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 12 });
      res.end('END-OF-CHAIN');
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    reachedEnd: () => reached,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export function parseRawResponse(raw: string): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0);
  return { raw, status, headers, body };
}

/** Sends `request` verbatim and resolves with everything read until the server closes. */
export function rawRequest(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(parseRawResponse(Buffer.concat(chunks).toString('latin1'))));
    socket.write(request);
  });
}

/** A GET with `Connection: close` and the given extra header lines. */
export function get(target: string, headerLines: string[]): string {
  return [`GET ${target} HTTP/1.1`, ...headerLines, 'Connection: close', '', ''].join('\r\n');
}

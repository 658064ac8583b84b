/**
 * Test harness of the end-to-end security suite: starts the real server on 127.0.0.1:0,
 * sends requests over raw sockets (the request line is written byte for byte, so `..`,
 * `%2e`, `\`, `#` and `//` reach the server unnormalised), decodes chunked bodies, and
 * checks every response for canary tokens in every encoding a leak could take. The
 * websocket side is in wsClient.ts.
 */
import { connect, type Socket } from 'node:net';
import { expect } from 'vitest';
import { createServer, type DevServer } from '../../server.js';
import type { UserConfig } from '../../config/types.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** Body after chunked decoding. */
  body: Buffer;
  text: string;
  /** Everything read off the socket. */
  raw: Buffer;
}

export interface Running {
  server: DevServer;
  port: number;
  host: string;
  origin: string;
}

export async function startServer(root: string, extra: UserConfig = {}): Promise<Running> {
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    ...extra,
    server: { port: 0, host: '127.0.0.1', ...extra.server },
  });
  await server.listen();
  const url = new URL(server.resolvedUrls!.local[0]);
  const host = `127.0.0.1:${url.port}`;
  return { server, port: Number(url.port), host, origin: `http://${host}` };
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function parseResponse(raw: Buffer): RawResponse {
  const split = raw.indexOf('\r\n\r\n');
  const head = (split === -1 ? raw : raw.subarray(0, split)).toString('latin1');
  const rest = split === -1 ? Buffer.alloc(0) : raw.subarray(split + 4);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const body = /chunked/i.test(headers['transfer-encoding'] ?? '') ? dechunk(rest) : rest;
  return { status, headers, body, text: body.toString('utf8'), raw };
}

/** Sends bytes verbatim and resolves with everything read until the server closes. */
export function rawSend(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${String(request).split('\r\n')[0]}`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseResponse(Buffer.concat(chunks)));
    });
    socket.write(request);
  });
}

/** Request text for `target` with a Host header (unless given) and `Connection: close`. */
export function requestText(target: string, host: string, headerLines: string[] = [], method = 'GET'): string {
  const hasHost = headerLines.some((l) => /^host:/i.test(l));
  return [`${method} ${target} HTTP/1.1`, ...(hasHost ? [] : [`Host: ${host}`]), ...headerLines, 'Connection: close', '', ''].join('\r\n');
}

export function rawGet(run: Running, target: string, headerLines: string[] = [], method = 'GET'): Promise<RawResponse> {
  return rawSend(run.port, requestText(target, run.host, headerLines, method));
}

/** Every form a token could take in a response: plain, case-changed, hex, base64, %XX, \u00XX. */
export function encodingsOf(token: string): string[] {
  const bytes = Buffer.from(token, 'utf8');
  const forms = new Set<string>([token, token.toUpperCase(), bytes.toString('hex'), bytes.toString('hex').toUpperCase()]);
  for (let k = 0; k < 3; k++) {
    // The base64 characters that depend only on the token's bytes, whatever precedes it.
    const padded = Buffer.concat([Buffer.alloc(k, 0x41), bytes]);
    const from = 4 * Math.ceil(k / 3);
    const to = 4 * Math.floor(padded.length / 3);
    for (const alphabet of ['base64', 'base64url'] as const) forms.add(padded.toString(alphabet).slice(from, to));
  }
  const percent = [...bytes].map((b) => '%' + b.toString(16).padStart(2, '0')).join('');
  forms.add(percent);
  forms.add(percent.toUpperCase());
  forms.add([...token].map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join(''));
  forms.add(JSON.stringify(token).slice(1, -1));
  forms.add(encodeURIComponent(token));
  return [...forms].filter((f) => f.length >= 16);
}

/** Names of the tokens found in `data`, in any encoding (latin1 view keeps every byte). */
export function leakedTokens(data: Buffer | string, tokens: readonly string[]): string[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const token of tokens) {
    for (const form of encodingsOf(token)) {
      // base64 is case-sensitive; the other forms are tested case-insensitively too.
      const isCaseFree = /^[0-9a-f%\\u]+$/i.test(form);
      if (text.includes(form) || (isCaseFree && lower.includes(form.toLowerCase()))) {
        found.push(`${token} as ${JSON.stringify(form.slice(0, 24))}`);
        break;
      }
    }
  }
  return found;
}

/** Asserts that no canary came back in the response (headers and body, raw and dechunked). */
export function expectNoLeak(res: RawResponse, tokens: readonly string[], label: string): void {
  const found = [...leakedTokens(res.raw, tokens), ...leakedTokens(res.body, tokens)];
  expect(found, `${label} -> ${res.status}: leaked ${found.join(', ')}`).toEqual([]);
}

/** Asserts that no canary is in any of `texts` (websocket messages). */
export function expectNoLeakInTexts(texts: readonly string[], tokens: readonly string[], label: string): void {
  const found = texts.flatMap((text) => leakedTokens(text, tokens));
  expect(found, `${label}: leaked ${found.join(', ')}`).toEqual([]);
}

/** Positive control: the server still serves an allowed file, quickly. */
export async function expectAlive(run: Running, publicText: string, maxMs = 2_000): Promise<void> {
  const started = performance.now();
  const res = await rawGet(run, '/public-file.txt');
  expect(res.status).toBe(200);
  expect(res.text).toBe(publicText);
  expect(performance.now() - started).toBeLessThan(maxMs);
}

/** Opens a raw socket and resolves once connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Reads the per-server websocket token out of the served HTML. */
export async function pageToken(run: Running): Promise<string> {
  const res = await rawGet(run, '/', ['Accept: text/html']);
  const m = /"token":"([^"]+)"/.exec(res.text);
  if (!m) throw new Error(`no token in the served HTML (status ${res.status})`);
  return m[1];
}

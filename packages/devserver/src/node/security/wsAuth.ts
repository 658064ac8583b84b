/**
 * Websocket upgrade authorisation, run on the http server's `upgrade` event before the
 * handshake is accepted. Browsers do not apply the same-origin policy to websockets, so
 * without this any page could connect to the HMR socket (websocket hijacking). Checks, in
 * order, each with the status it answers:
 *
 * 1. Host: 400 malformed, 403 foreign (DNS rebinding);
 * 2. Origin: required, `null` refused, must be `http(s)://<Host>` or an allowed origin
 *    (403). Clients that send no Origin (non-browser tools) are refused too: the
 *    devserver client always runs in a page;
 * 3. `Sec-WebSocket-Protocol` lists the expected subprotocol (400);
 * 4. the `token` query parameter equals the per-server token (401), compared in constant
 *    time. The token is injected into the served client, which a foreign page cannot read.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { originMatchesHost } from './origin.js';
import type { HostCheck } from './types.js';

export interface UpgradeCheckOptions {
  /** The per-server secret from `createToken()`. */
  token: string;
  /** Expected `Sec-WebSocket-Protocol` entry (`HMR_SUBPROTOCOL`). */
  subprotocol: string;
  hostCheck: HostCheck;
  /** Extra origins allowed besides same-origin, e.g. the CORS allow-list. */
  allowedOrigins: (origin: string, host: string) => boolean;
}

export type UpgradeRejectStatus = 400 | 401 | 403;

export type UpgradeCheckResult =
  | { ok: true }
  | { ok: false; status: UpgradeRejectStatus; reason: string };

export type UpgradeCheck = (req: IncomingMessage) => UpgradeCheckResult;

/**
 * A random URL-safe token with 192 bits of entropy, made once per server.
 *
 * @example
 * const token = createToken(); // e.g. 'q2P9…' (32 characters of base64url)
 */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

function reject(status: UpgradeRejectStatus, reason: string): UpgradeCheckResult {
  return { ok: false, status, reason };
}

/** Every `token` value in the query of a raw request target; never throws. */
function tokensOf(url: string | undefined): string[] {
  if (url === undefined) return [];
  const q = url.indexOf('?');
  if (q === -1) return [];
  const hash = url.indexOf('#', q);
  return new URLSearchParams(url.slice(q + 1, hash === -1 ? undefined : hash)).getAll('token');
}

function hasSubprotocol(header: string | undefined, expected: string): boolean {
  if (header === undefined) return false;
  for (const entry of header.split(',')) if (entry.trim() === expected) return true;
  return false;
}

/**
 * Creates the upgrade check; the expected token buffer is built once here.
 *
 * @example
 * const checkUpgrade = createUpgradeCheck({ token, subprotocol: HMR_SUBPROTOCOL, hostCheck,
 *   allowedOrigins: (origin) => corsAllowList(origin) });
 * server.on('upgrade', (req, socket, head) => {
 *   const r = checkUpgrade(req);
 *   if (!r.ok) return rejectUpgrade(socket, r.status, r.reason);
 *   wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
 * });
 */
export function createUpgradeCheck(options: UpgradeCheckOptions): UpgradeCheck {
  const expected = Buffer.from(options.token, 'utf8');
  const { subprotocol, hostCheck, allowedOrigins } = options;
  if (expected.length === 0) throw new TypeError('createUpgradeCheck: token must not be empty');

  function tokenMatches(candidate: string): boolean {
    const given = Buffer.from(candidate, 'utf8');
    // timingSafeEqual throws on different lengths; the length of a random token is no secret.
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  return function checkUpgrade(req: IncomingMessage): UpgradeCheckResult {
    const host = req.headers.host;
    const hostResult = hostCheck(host);
    if (hostResult === 'malformed') return reject(400, 'missing or malformed Host header');
    if (hostResult === 'forbidden' || host === undefined) return reject(403, 'host not allowed');

    const origin = req.headers.origin;
    if (origin === undefined || origin === '') return reject(403, 'missing Origin header');
    if (origin === 'null') return reject(403, 'opaque origin (null) not allowed');
    if (!originMatchesHost(origin, host) && !allowedOrigins(origin, host)) {
      return reject(403, 'origin not allowed');
    }

    const protocols = req.headers['sec-websocket-protocol'];
    if (!hasSubprotocol(protocols, subprotocol)) {
      return reject(400, `expected websocket subprotocol "${subprotocol}"`);
    }

    const tokens = tokensOf(req.url);
    if (tokens.length !== 1 || !tokenMatches(tokens[0])) return reject(401, 'missing or invalid token');
    return { ok: true };
  };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' };

/**
 * Answers a refused upgrade with a minimal HTTP response and closes the socket. Safe on
 * a socket that already errored or closed; socket errors here are expected and ignored.
 *
 * @example
 * rejectUpgrade(socket, 403, 'origin not allowed');
 */
export function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  // Node removed its own error listener when it handed the socket to `upgrade`.
  socket.on('error', () => socket.destroy());
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const code = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 400;
  const body = reason.replace(/[^\x20-\x7e]/g, ' ') + '\n';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_TEXT[code] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}

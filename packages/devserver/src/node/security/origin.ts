/**
 * Origin comparisons shared by CORS, the websocket check and endpoints with side effects.
 * An Origin header is `scheme://host[:port]` as serialised by the browser; we compare
 * normalised forms (lowercase, default port dropped) and never accept `null`, which
 * sandboxed iframes, `file:` pages and some redirects send and which anyone can produce.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';
import { DevServerError } from '../errors.js';

export type CorsOption = boolean | { origin: string | string[] };

/** Decides whether a browser origin may read responses cross-origin. */
export type OriginAllowList = (origin: string) => boolean;

const ORIGIN = /^([a-z][a-z0-9+.-]*):\/\/([^/?#@\s]+)$/i;
const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' };

/** `scheme://authority` in canonical form, or `undefined` if the value is not an origin. */
export function normaliseOrigin(origin: string): string | undefined {
  const m = ORIGIN.exec(origin);
  if (m === null) return undefined;
  const scheme = m[1].toLowerCase();
  return `${scheme}://${normaliseAuthority(m[2], scheme)}`;
}

function normaliseAuthority(authority: string, scheme: string): string {
  const a = authority.toLowerCase();
  const colon = a.lastIndexOf(':');
  if (colon === -1 || a.endsWith(']')) return a;
  const port = a.slice(colon + 1);
  return port === '' || port === DEFAULT_PORT[scheme] ? a.slice(0, colon) : a;
}

/**
 * True when `origin` is `http(s)://<host>`, the origin a page served by this very request's
 * Host would have. Default ports are ignored (`Host: localhost` = `http://localhost:80`).
 *
 * @example
 * originMatchesHost('http://localhost:5173', 'localhost:5173'); // true
 */
export function originMatchesHost(origin: string, host: string | undefined): boolean {
  if (host === undefined || host === '') return false;
  const m = ORIGIN.exec(origin);
  if (m === null) return false;
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return false;
  return normaliseAuthority(m[2], scheme) === normaliseAuthority(host, scheme);
}

const LOOPBACK_HOST = /^(?:localhost|(?:[a-z0-9_-]+\.)+localhost|\[::1\])$/;

/**
 * `http(s)://localhost`, `*.localhost`, `127.x.y.z` or `[::1]`, on any port.
 *
 * @example
 * isLoopbackOrigin('http://127.0.0.1:3000'); // true
 * isLoopbackOrigin('http://localhost.evil.com'); // false
 */
export function isLoopbackOrigin(origin: string): boolean {
  const m = ORIGIN.exec(origin);
  if (m === null) return false;
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return false;
  const authority = m[2].toLowerCase();
  const portStart = authority.endsWith(']') ? -1 : authority.lastIndexOf(':');
  const host = portStart === -1 ? authority : authority.slice(0, portStart);
  const port = portStart === -1 ? '' : authority.slice(portStart + 1);
  if (!/^[0-9]{0,5}$/.test(port)) return false;
  if (LOOPBACK_HOST.test(host)) return true;
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * Builds the CORS origin allow-list from `server.cors`: `false` allows nothing, `true`
 * loopback origins only, an object exactly the listed origins. `'*'` is refused: the
 * server never answers `Access-Control-Allow-Origin: *`.
 *
 * @example
 * const allowed = createOriginAllowList({ origin: ['https://app.example.com'] });
 * allowed('https://app.example.com'); // true
 */
export function createOriginAllowList(cors: CorsOption): OriginAllowList {
  if (cors === false) return () => false;
  if (cors === true) return isLoopbackOrigin;
  const entries = typeof cors.origin === 'string' ? [cors.origin] : cors.origin;
  const allowed = new Set<string>();
  for (const entry of entries) {
    const trimmed = entry.trim().replace(/\/$/, '');
    const normal = trimmed === '*' || trimmed === 'null' ? undefined : normaliseOrigin(trimmed);
    if (normal === undefined) {
      throw new DevServerError('ERR_CONFIG', `server.cors.origin: "${entry}" is not an origin`, {
        hint: "List full origins such as 'https://app.example.com' or 'http://localhost:3000'; '*' and 'null' are not supported.",
      });
    }
    allowed.add(normal);
  }
  return function isAllowedOrigin(origin: string): boolean {
    const normal = normaliseOrigin(origin);
    return normal !== undefined && allowed.has(normal);
  };
}

/**
 * For endpoints with side effects (open in editor, restart): true only with positive
 * evidence that the request comes from a page of this server. `Sec-Fetch-Site` decides
 * when present (`same-origin`, or `none` for a URL typed by the user); otherwise the
 * Origin header must match the Host. Requests with neither header are refused.
 *
 * @example
 * if (!isSameOriginRequest(req)) return sendPlainText(res, 403, 'cross-origin request');
 */
export function isSameOriginRequest(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  return typeof origin === 'string' && originMatchesHost(origin, req.headers.host);
}

/**
 * For endpoints that do work per request (the registry endpoints build and cache every
 * module id they are named): true unless the browser would hide the answer from the page
 * that asked. A page of another site can still make the browser send a simple CORS GET
 * (or an `<img>` load); answering it would let that page make the server build and keep
 * thousands of modules per request. Allowed: same-origin and user-typed requests, origins
 * CORS allows (`corsAllowed`: Access-Control-Allow-Origin was set), and requests without
 * Fetch Metadata or Origin (curl, tests).
 *
 * @example
 * if (!isReadableByRequester(req, res.hasHeader('Access-Control-Allow-Origin'))) return sendPlainText(res, 403, 'cross-origin');
 */
export function isReadableByRequester(req: IncomingMessage, corsAllowed: boolean): boolean {
  if (corsAllowed) return true;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (site === undefined && origin === undefined) return true;
  return isSameOriginRequest(req);
}

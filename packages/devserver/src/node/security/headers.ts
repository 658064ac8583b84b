/**
 * Cross-origin policy for every HTTP response. What it does and why:
 *
 * - `Cross-Origin-Resource-Policy: same-origin` and `X-Content-Type-Options: nosniff` on
 *   every response: browsers then refuse to hand our responses to another site's
 *   `<script>`, `<img>` or `fetch(no-cors)`, and never guess a script out of a text file.
 * - CORS only when configured (`server.cors`): `true` reflects loopback origins only,
 *   an object exactly the listed origins; never `*`, never credentials, never
 *   `Access-Control-Allow-Private-Network`. Preflights (OPTIONS + Origin +
 *   Access-Control-Request-Method) are answered here: 204 for an allowed origin, 403 for
 *   any other, so no later middleware (proxy, file serving) ever sees them.
 * - Cross-site `no-cors` loads are refused (403) unless their destination is a passive
 *   asset (image, style, font, audio, video, track, manifest). A classic `<script src>`
 *   runs our code inside the attacker's page; with modules served as calls into a
 *   registry (`define(id, …, factory)`), a page that defines that global receives every
 *   factory, i.e. the source (webpack-dev-server's CVE-2025-30359 is exactly this).
 *   `fetch(…, { mode: 'no-cors' })` (destination "empty"), workers, `<object>` and any
 *   destination we do not know are refused for the same reason. Module scripts, JSON
 *   modules and `fetch()` use CORS mode and are governed by the CORS rules above;
 *   navigations (a link from another site to the dev server) stay allowed. Requests
 *   without Fetch Metadata (curl, old browsers) pass: CORP still covers browsers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOriginAllowList, type CorsOption } from './origin.js';
import { sendPlainText } from './respond.js';
import type { SecurityMiddleware } from './types.js';

export interface SecurityHeadersOptions {
  cors: CorsOption;
}

const PASSIVE_DESTINATIONS = new Set(['image', 'style', 'font', 'audio', 'video', 'track', 'manifest']);
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9a-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9a-z-]+)*$/i;
const ALLOW_METHODS = 'GET, HEAD, PUT, PATCH, POST, DELETE';

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** True for a cross-site `no-cors` load that could execute or read our response. */
export function isCrossSiteActiveLoad(req: IncomingMessage): boolean {
  if (header(req, 'sec-fetch-site') !== 'cross-site') return false;
  if (header(req, 'sec-fetch-mode') !== 'no-cors') return false;
  return !PASSIVE_DESTINATIONS.has(header(req, 'sec-fetch-dest') ?? '');
}

function addVary(res: ServerResponse, value: string): void {
  const prev = res.getHeader('Vary');
  res.setHeader('Vary', prev === undefined ? value : `${String(prev)}, ${value}`);
}

/**
 * Creates the cross-origin middleware; put it first in the chain, after the host check.
 *
 * @example
 * app.use(createSecurityHeaders({ cors: config.server.cors ?? false }));
 */
export function createSecurityHeaders(options: SecurityHeadersOptions): SecurityMiddleware {
  const corsEnabled = options.cors !== false;
  const isAllowedOrigin = createOriginAllowList(options.cors);

  return function securityHeaders(req, res, next) {
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');

    if (isCrossSiteActiveLoad(req)) {
      sendPlainText(res, 403, 'Blocked: cross-site no-cors load (e.g. <script src>) of a dev server resource.');
      return;
    }

    const origin = header(req, 'origin');
    const allowed = origin !== undefined && origin !== 'null' && isAllowedOrigin(origin);
    if (corsEnabled) addVary(res, 'Origin');
    if (allowed) res.setHeader('Access-Control-Allow-Origin', origin);

    const requestMethod = header(req, 'access-control-request-method');
    if (req.method !== 'OPTIONS' || origin === undefined || requestMethod === undefined) {
      next();
      return;
    }
    // CORS preflight.
    if (!allowed) {
      sendPlainText(
        res,
        403,
        'Blocked: cross-origin request from an origin that is not allowed. Configure server.cors to allow it.',
      );
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
    const requestHeaders = header(req, 'access-control-request-headers');
    if (requestHeaders !== undefined && HEADER_LIST.test(requestHeaders)) {
      res.setHeader('Access-Control-Allow-Headers', requestHeaders);
    }
    addVary(res, 'Access-Control-Request-Headers');
    res.setHeader('Access-Control-Max-Age', '600');
    res.statusCode = 204;
    res.setHeader('Content-Length', '0');
    res.end();
  };
}

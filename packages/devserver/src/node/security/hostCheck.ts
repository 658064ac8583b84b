/**
 * Host header check, the defence against DNS rebinding: a page on `evil.com` whose DNS
 * is re-pointed at 127.0.0.1 can talk to the dev server, but its requests still carry
 * `Host: evil.com`. So we answer only names that cannot be rebound by an attacker:
 * `localhost`, `*.localhost` (browsers pin those to loopback), IP literals (no DNS
 * involved), and the hosts the user lists in `server.allowedHosts` (`'.example.com'`
 * means the domain and all its subdomains, as in Vite). `allowedHosts: true` turns the
 * check off, except that unparseable values stay malformed (400, never a crash).
 *
 * The header is parsed strictly (RFC 3986 host plus optional port): anything else, and a
 * missing Host header, is `'malformed'`. One trailing dot (`localhost.`) is accepted as
 * the same name.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { DevServerError } from '../errors.js';
import { sendPlainText } from './respond.js';
import type { HostCheck, HostCheckResult, SecurityMiddleware } from './types.js';

export interface HostCheckOptions {
  /** Extra hosts (`'app.test'`, `'.example.com'`), or `true` to allow every host. */
  allowedHosts: string[] | true;
}

type ParsedHost = { kind: 'ip' } | { kind: 'name'; name: string };

const NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;
const PORT = /^[0-9]{0,5}$/;

/** Parses a Host header value; `undefined` when it is not a valid `host[:port]`. */
export function parseHostHeader(value: string): ParsedHost | undefined {
  let host: string;
  let port: string;
  if (value.charCodeAt(0) === 0x5b /* [ */) {
    const close = value.indexOf(']');
    if (close === -1) return undefined;
    host = value.slice(1, close);
    const rest = value.slice(close + 1);
    if (rest !== '' && rest[0] !== ':') return undefined;
    port = rest.slice(1);
    if (!isIPv6(host)) return undefined;
    if (!PORT.test(port) || Number(port) > 65535) return undefined;
    return { kind: 'ip' };
  }
  const colon = value.indexOf(':');
  if (colon === -1) {
    host = value;
    port = '';
  } else {
    host = value.slice(0, colon);
    port = value.slice(colon + 1);
  }
  if (!PORT.test(port) || Number(port) > 65535) return undefined;
  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.length === 0 || host.length > 253 || !NAME.test(host)) return undefined;
  if (isIPv4(host)) return { kind: 'ip' };
  return { kind: 'name', name: host };
}

/** A valid entry in normalised form, or `undefined` for IP literals (always allowed). */
function normaliseEntry(entry: string): string | undefined {
  const e = entry.trim().toLowerCase();
  if (isIPv4(e) || isIPv6(e) || (e.startsWith('[') && e.endsWith(']') && isIPv6(e.slice(1, -1)))) {
    return undefined;
  }
  const name = e.startsWith('.') ? e.slice(1) : e;
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (!NAME.test(bare)) {
    throw new DevServerError('ERR_CONFIG', `server.allowedHosts: "${entry}" is not a host name`, {
      hint: "List bare names such as 'app.test' or '.example.com' (no scheme, port or '*'); use allowedHosts: true to allow every host.",
    });
  }
  return e.startsWith('.') ? '.' + bare : bare;
}

/**
 * Creates the Host header check. Entries are validated and normalised once here.
 *
 * @example
 * const hostCheck = createHostCheck({ allowedHosts: ['.example.com'] });
 * hostCheck('localhost:5173'); // 'ok'
 * hostCheck('api.example.com'); // 'ok'
 * hostCheck('evil.com'); // 'forbidden'
 * hostCheck(undefined); // 'malformed'
 */
export function createHostCheck(options: HostCheckOptions): HostCheck {
  const allowAll = options.allowedHosts === true;
  const exact = new Set<string>();
  const suffixes: string[] = [];
  if (options.allowedHosts !== true) {
    for (const entry of options.allowedHosts) {
      const e = normaliseEntry(entry);
      if (e === undefined) continue;
      if (e.startsWith('.')) {
        exact.add(e.slice(1));
        suffixes.push(e);
      } else {
        exact.add(e);
      }
    }
  }

  return function hostCheck(hostHeader: string | undefined): HostCheckResult {
    if (hostHeader === undefined || hostHeader.length === 0) return 'malformed';
    const parsed = parseHostHeader(hostHeader);
    if (parsed === undefined) return 'malformed';
    if (allowAll || parsed.kind === 'ip') return 'ok';
    const name = parsed.name;
    if (name === 'localhost' || name.endsWith('.localhost') || exact.has(name)) return 'ok';
    for (const suffix of suffixes) if (name.endsWith(suffix)) return 'ok';
    return 'forbidden';
  };
}

/**
 * Connect-style middleware around a host check: 400 for a malformed or missing Host,
 * 403 for a foreign one, `next()` otherwise. The body is plain text and names the
 * setting to change; it repeats the host only after it parsed as a plain DNS name.
 *
 * @example
 * const hostCheck = createHostCheck({ allowedHosts: config.server.allowedHosts ?? [] });
 * app.use(createHostCheckMiddleware(hostCheck)); // reuse hostCheck for the websocket
 */
export function createHostCheckMiddleware(
  checkOrOptions: HostCheck | HostCheckOptions,
): SecurityMiddleware {
  const check = typeof checkOrOptions === 'function' ? checkOrOptions : createHostCheck(checkOrOptions);
  return function hostCheckMiddleware(req, res, next) {
    const host = req.headers.host;
    const result = check(host);
    if (result === 'ok') return next();
    if (result === 'malformed') {
      sendPlainText(res, 400, 'Bad request: missing or malformed Host header.');
      return;
    }
    const parsed = host === undefined ? undefined : parseHostHeader(host);
    const name = parsed?.kind === 'name' ? parsed.name : 'this host';
    sendPlainText(
      res,
      403,
      `Blocked request: host "${name}" is not allowed.\n` +
        `To allow it, add it to server.allowedHosts in your devserver config, ` +
        `e.g. server: { allowedHosts: ['${name}'] }.`,
    );
  };
}

/**
 * First check on every HTTP request: is the raw request target (`req.url`, exactly as it
 * came off the socket) a plain origin-form target we are willing to interpret? Anything
 * a browser would never send, or that two layers could read differently, is a 400 here,
 * before any code splits, decodes or joins it:
 *
 * - not origin-form: absolute-form (`http://x/`), authority-form, `*`, or no leading `/`;
 * - raw bytes outside printable ASCII (spaces, controls, non-ASCII; browsers encode them);
 * - `#` anywhere (a fragment is never sent; `/.env#.js` must not mean two things);
 * - `\` in the path, raw or as `%5C` (a separator on Windows, a traversal elsewhere);
 * - NUL, raw or `%00`, anywhere; other control characters once the path is decoded;
 * - `%` not followed by two hex digits, or a path that is not valid UTF-8 once decoded;
 * - `?` or `#` produced by decoding (`%3F`, `%23`): downstream code splits ids on `?` and
 *   `#`, so `/.env%3F.js` would be checked as one name and read as another (the
 *   `?raw??` family of Vite advisories). Files with those characters are not served.
 *
 * The path is decoded exactly once and returned un-normalised (`..` and `//` are left for
 * the file gate, which must never decode again); the query is returned raw, without `?`.
 */

export type RequestTargetResult =
  | { ok: true; pathname: string; query: string }
  | { ok: false; status: 400; reason: string };

// Printable ASCII except space; `#` and `\` are reported with their own reasons below.
const NOT_PRINTABLE = /[^\x21-\x7e]/;
const BAD_PERCENT = /%(?![0-9a-fA-F]{2})/;
const ENCODED_NUL = /%00/;
// After decoding: controls (incl. NUL), DEL, `\`, and the id separators `?` / `#`.
const DECODED_FORBIDDEN = /[\x00-\x1f\x7f\\?#]/;

function fail(reason: string): RequestTargetResult {
  return { ok: false, status: 400, reason };
}

/**
 * Validates a raw request target and decodes its path once.
 *
 * @example
 * const t = checkRequestTarget(req.url ?? '');
 * if (!t.ok) return sendPlainText(res, t.status, t.reason);
 * // t.pathname: '/src/a b.ts' for '/src/a%20b.ts?import'; t.query: 'import'
 */
export function checkRequestTarget(rawUrl: string): RequestTargetResult {
  if (rawUrl.length === 0) return fail('empty request target');
  if (rawUrl.charCodeAt(0) !== 0x2f /* / */) {
    return fail('request target must be a path starting with "/" (origin-form)');
  }
  if (rawUrl.includes('\0')) return fail('NUL byte in request target');
  if (rawUrl.includes('#')) return fail('"#" in request target');
  if (NOT_PRINTABLE.test(rawUrl)) return fail('unencoded space, control or non-ASCII byte');

  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 ? '' : rawUrl.slice(q + 1);

  if (rawPath.includes('\\')) return fail('backslash in path');
  if (BAD_PERCENT.test(rawUrl)) return fail('malformed percent-encoding');
  if (ENCODED_NUL.test(rawUrl)) return fail('encoded NUL (%00) in request target');

  let pathname: string;
  if (rawPath.includes('%')) {
    try {
      pathname = decodeURIComponent(rawPath);
    } catch {
      return fail('percent-encoded path is not valid UTF-8');
    }
    if (DECODED_FORBIDDEN.test(pathname)) {
      return fail('encoded control character, backslash, "?" or "#" in path');
    }
  } else {
    pathname = rawPath;
  }
  return { ok: true, pathname, query };
}

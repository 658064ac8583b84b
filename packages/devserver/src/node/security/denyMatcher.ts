/**
 * The deny list matcher of the file gate: a tiny glob compiler, written here instead of
 * depending on picomatch because the gate needs only `*`, `?`, `**` and `{a,b}`, must be
 * case-insensitive, and must see names the way Windows and odd clients do. No pattern
 * ever throws: anything unusual is matched literally.
 *
 * Semantics (like .gitignore):
 * - a pattern without `/` (`.env`, `*.pem`) matches any single path segment, so a denied
 *   directory (`.env/`) denies everything under it; `X/**` and a leading `**` + `/X` mean
 *   the same;
 * - a pattern with `/` (`secrets/*.json`) matches the path relative to the allowed root
 *   it lies in (a leading `**` + `/`: at any depth; a trailing `/**`: and everything below).
 *
 * Each segment is tested as given and in its "Windows" form: trailing dots and spaces
 * removed (`.env.`, `.env ` open `.env` there) and cut at `:` (`.env::$DATA`, an NTFS
 * stream of `.env`). A segment is denied when any form matches.
 */

/** Built-in deny list; `server.fs.deny` adds to it. */
export const DEFAULT_DENY: readonly string[] = Object.freeze([
  '.env',
  '.env.*',
  '*.pem',
  '*.crt',
  '*.key',
  '*.p12',
  '*.pfx',
  '.npmrc',
  '.git/**',
]);

/** Tests a relative path (segments split on `/`, no `.` or `..`) against the deny list. */
export type DenyMatcher = (segments: readonly string[]) => boolean;

const REGEX_SPECIAL = /[.+^$()|[\]\\]/;

/** Converts one glob to a regex body (`*` and `?` never match `/`). */
function globToRegex(glob: string): string {
  let out = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a bare `**` anything.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '{' && !inBraces && glob.indexOf('}', i) !== -1) {
      inBraces = true;
      out += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      out += ')';
    } else if (c === ',' && inBraces) {
      out += '|';
    } else {
      out += REGEX_SPECIAL.test(c) || c === '{' || c === '}' ? '\\' + c : c;
    }
  }
  return out;
}

/** Windows-equivalent forms of one segment (see the header comment). */
export function segmentForms(segment: string): string[] {
  const forms = [segment];
  const trimmed = segment.replace(/[. ]+$/, '');
  if (trimmed !== segment && trimmed !== '') forms.push(trimmed);
  const colon = segment.indexOf(':');
  if (colon > 0) {
    const stream = segment.slice(0, colon).replace(/[. ]+$/, '');
    if (stream !== '') forms.push(stream);
  }
  return forms;
}

/**
 * Compiles deny patterns once.
 *
 * @example
 * const denied = createDenyMatcher([...DEFAULT_DENY, 'secrets/**']);
 * denied(['apps', 'web', '.ENV.']); // true
 * denied(['src', 'main.ts']); // false
 */
export function createDenyMatcher(patterns: readonly string[]): DenyMatcher {
  const segmentBodies: string[] = [];
  const pathBodies: string[] = [];
  for (const raw of patterns) {
    let p = raw.trim().replace(/\\/g, '/');
    if (p === '') continue;
    let anyDepth = false;
    while (p.startsWith('**/')) {
      p = p.slice(3);
      anyDepth = true;
    }
    if (p.startsWith('./')) p = p.slice(2);
    const anchored = p.startsWith('/');
    if (anchored) p = p.replace(/^\/+/, '');
    let subtree = false;
    while (p.endsWith('/**') || p.endsWith('/')) {
      p = p.endsWith('/') ? p.slice(0, -1) : p.slice(0, -3);
      subtree = true;
    }
    if (p === '' || p === '**') continue; // "deny everything" is `fs.allow: []`, not a pattern
    if (!p.includes('/') && !anchored) {
      segmentBodies.push(globToRegex(p));
      continue;
    }
    const prefix = anyDepth && !anchored ? '(?:.*/)?' : '';
    pathBodies.push(prefix + globToRegex(p) + (subtree ? '(?:/.*)?' : ''));
  }
  const segmentRe = segmentBodies.length ? new RegExp(`^(?:${segmentBodies.join('|')})$`, 'i') : null;
  const pathRe = pathBodies.length ? new RegExp(`^(?:${pathBodies.join('|')})$`, 'i') : null;

  return function isDenied(segments: readonly string[]): boolean {
    let needsWindowsForm = false;
    for (const segment of segments) {
      if (segmentRe !== null && segmentRe.test(segment)) return true;
      const forms = segmentForms(segment);
      if (forms.length > 1) {
        needsWindowsForm = true;
        if (segmentRe !== null) for (let i = 1; i < forms.length; i++) if (segmentRe.test(forms[i])) return true;
      }
    }
    if (pathRe === null) return false;
    if (pathRe.test(segments.join('/'))) return true;
    return needsWindowsForm && pathRe.test(segments.map((s) => segmentForms(s).at(-1)).join('/'));
  };
}

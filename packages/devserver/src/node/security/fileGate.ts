/**
 * The one gate every file read goes through (modules, `?raw`/`?url`/`?inline`, source
 * maps, the public dir, `/@fs/`, HTML). Given an absolute path or a decoded URL path it:
 *
 * 1. normalises (`.`, `..`, `//`), refusing a URL path whose `..` climbs above its root;
 * 2. checks, without touching the disk, that the path lies under an allowed root and that
 *    no segment matches the deny list, so denied or outside files get the same answer
 *    whether they exist or not (no existence oracle);
 * 3. resolves symlinks (`realpath`) and checks both again on the real path: a symlink in
 *    the root that points outside every allowed root, or at a denied file, is refused.
 *
 * Callers must read the returned `realPath`, never re-decode or re-join the request.
 * Allowed roots are resolved (and realpath'ed) once, in the factory. A `'not-found'`
 * answer is only given for paths that passed step 2.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { FS_PREFIX } from '../../shared/constants.js';
import { createDenyMatcher, DEFAULT_DENY } from './denyMatcher.js';

export { findDefaultAllowRoot } from './workspaceRoot.js';
export { DEFAULT_DENY } from './denyMatcher.js';

export type FileGateResult =
  | { ok: true; realPath: string }
  | { ok: false; reason: 'outside-roots' | 'denied' | 'not-found' };

export interface FileGateOptions {
  /** Roots files may be served from (absolute, or relative to the cwd). */
  allow: string[];
  /** Deny patterns added to `DEFAULT_DENY`. */
  deny?: string[];
}

export interface FileGate {
  /** The allowed roots as resolved at creation (real paths where they exist). */
  readonly roots: readonly string[];
  /** Checks an absolute file path. */
  check(absPath: string): Promise<FileGateResult>;
  /** Maps a decoded URL path (`/src/a.ts`, `/@fs/abs/path`) under `root` and checks it. */
  checkUrlPath(root: string, decodedPathname: string): Promise<FileGateResult>;
}

const OUTSIDE: FileGateResult = Object.freeze({ ok: false, reason: 'outside-roots' });
const DENIED: FileGateResult = Object.freeze({ ok: false, reason: 'denied' });
const NOT_FOUND: FileGateResult = Object.freeze({ ok: false, reason: 'not-found' });

const IS_WINDOWS = process.platform === 'win32';
const fold = IS_WINDOWS ? (s: string) => s.toLowerCase() : (s: string) => s;

function tryRealpathSync(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p; // a root that does not exist (yet) is kept as written
  }
}

/** Segments of `p` below `root`, or `undefined` when `p` is not `root` or inside it. */
function segmentsUnder(root: string, p: string): string[] | undefined {
  const f = fold(p);
  if (f === fold(root)) return [];
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  if (!f.startsWith(fold(prefix))) return undefined;
  return p.slice(prefix.length).split(path.sep).filter((s) => s !== '');
}

/**
 * Creates the file gate.
 *
 * @example
 * const gate = createFileGate({ allow: [findDefaultAllowRoot(root)], deny: config.server.fs.deny });
 * const r = await gate.checkUrlPath(root, target.pathname);
 * if (!r.ok) return sendPlainText(res, r.reason === 'not-found' ? 404 : 403, 'Not allowed');
 * const source = await readFile(r.realPath);
 */
export function createFileGate(options: FileGateOptions): FileGate {
  const isDenied = createDenyMatcher([...DEFAULT_DENY, ...(options.deny ?? [])]);
  const realRoots = [...new Set(options.allow.map((a) => tryRealpathSync(path.resolve(a))))];
  // Lexical checks also accept a root as written (before its own symlinks are resolved).
  const lexicalRoots = [...new Set([...realRoots, ...options.allow.map((a) => path.resolve(a))])];
  // Outermost root first: its relative path has the most segments to test.
  realRoots.sort((a, b) => a.length - b.length);
  lexicalRoots.sort((a, b) => a.length - b.length);

  function passes(roots: readonly string[], p: string): FileGateResult | undefined {
    for (const root of roots) {
      const segments = segmentsUnder(root, p);
      if (segments === undefined) continue;
      return isDenied(segments) || isDenied([path.basename(p)]) ? DENIED : undefined;
    }
    return OUTSIDE;
  }

  async function check(absPath: string): Promise<FileGateResult> {
    if (typeof absPath !== 'string' || absPath.includes('\0')) return DENIED;
    // On POSIX `\` is a file name character here, but plugins and tools that normalise
    // paths (`normalizePath`, createFilter) turn `/root/..\x` into `/x`: never pass one on.
    if (!IS_WINDOWS && absPath.includes('\\')) return DENIED;
    if (!path.isAbsolute(absPath)) return OUTSIDE;
    const lexical = path.resolve(absPath);
    const lexicalFailure = passes(lexicalRoots, lexical);
    if (lexicalFailure !== undefined) return lexicalFailure;
    let real: string;
    try {
      // One realpath(3) call on this thread: far cheaper for the many small files of a
      // page load than the promise API's trip through the thread pool (which oxc's
      // transforms are using at the same moment).
      real = realpathSync.native(lexical);
    } catch {
      return NOT_FOUND; // ENOENT, ENOTDIR, ELOOP, EACCES…: nothing we can serve
    }
    return passes(realRoots, real) ?? { ok: true, realPath: real };
  }

  async function checkUrlPath(root: string, decodedPathname: string): Promise<FileGateResult> {
    if (!decodedPathname.startsWith('/')) return OUTSIDE;
    if (decodedPathname.includes('\0') || decodedPathname.includes('\\')) return DENIED;
    let base = path.resolve(root);
    let rest = decodedPathname;
    if (rest.startsWith(FS_PREFIX) || rest === FS_PREFIX.slice(0, -1)) {
      // `/@fs/<absolute path>`; on Windows `/@fs/C:/x`. Same walk, from the file system root.
      rest = rest.slice(FS_PREFIX.length - 1);
      const drive = IS_WINDOWS ? /^\/([a-zA-Z]:)(?=\/|$)/.exec(rest) : null;
      base = drive !== null ? drive[1] + path.sep : path.parse(base).root;
      if (drive !== null) rest = rest.slice(drive[0].length);
    }
    const segments: string[] = [];
    for (const segment of rest.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (segments.length === 0) return OUTSIDE; // climbs above its root
        segments.pop();
      } else {
        segments.push(segment);
      }
    }
    return check(path.join(base, ...segments));
  }

  return { roots: realRoots, check, checkUrlPath };
}

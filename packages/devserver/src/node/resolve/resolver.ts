/**
 * Turns an import specifier written in a module into what the graph needs: a source file
 * (served as a module under its URL id) or a bare dependency (handed to the pre-bundler).
 *
 * Order, as users of Vite and Node expect: aliases (config and tsconfig `paths`), then
 * relative and root-absolute paths with extension and `index` probing (including the TS
 * convention of importing `./a.js` for `./a.ts`), then bare packages. A bare package whose
 * real path is not inside a node_modules folder is a linked workspace package: its source
 * is served and watched like the app's own; everything else is pre-bundled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { exports as resolveExports } from 'resolve.exports';
import { DevServerError } from '../errors.js';
import { FS_PREFIX } from '../../shared/constants.js';

export const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.jsx', '.mjs'];
const PROBE_EXTENSIONS = [...SCRIPT_EXTENSIONS, '.json', '.css'];
const CONDITIONS = ['browser', 'import', 'module', 'development', 'default'];

export type Resolution =
  /** A file served from source. `id` is its URL path, plus the query of the specifier. */
  | { type: 'file'; id: string; file: string }
  /** A node_modules package import, for the pre-bundler. */
  | { type: 'bare'; specifier: string }
  /** A URL the browser loads itself (http:, data:). */
  | { type: 'external'; id: string };

export interface ResolverOptions {
  root: string;
  alias: Array<{ find: string; replacement: string }>;
}

export interface Resolver {
  resolve(specifier: string, importerFile: string): Resolution;
  /** URL id of an absolute file: `/src/a.ts` under the root, `/@fs/abs/path` elsewhere. */
  idOf(file: string): string;
  /** The absolute file of a URL id (without query). */
  fileOf(id: string): string;
}

export function createResolver(options: ResolverOptions): Resolver {
  const root = path.resolve(options.root);
  const aliases = [...options.alias].sort((a, b) => b.find.length - a.find.length);

  function idOf(file: string): string {
    const rel = path.relative(root, file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return '/' + rel.split(path.sep).join('/');
    return FS_PREFIX + file.replace(/^\//, '');
  }

  function fileOf(id: string): string {
    const clean = id.split('?')[0];
    if (clean.startsWith(FS_PREFIX)) return '/' + clean.slice(FS_PREFIX.length);
    return path.join(root, clean);
  }

  function resolve(specifier: string, importerFile: string): Resolution {
    const aliased = applyAlias(specifier, aliases);
    if (/^(https?:|data:)/.test(aliased)) return { type: 'external', id: aliased };
    const [bare, query] = splitQuery(aliased);
    let file: string | null = null;
    if (bare.startsWith(FS_PREFIX)) file = probeFile('/' + bare.slice(FS_PREFIX.length));
    else if (path.isAbsolute(bare) && (aliased !== specifier || bare.startsWith(root + path.sep))) {
      // An alias replacement or an already-absolute path inside the root.
      file = probeFile(bare);
    } else if (bare.startsWith('/')) file = probeFile(path.join(root, bare));
    else if (bare.startsWith('./') || bare.startsWith('../') || bare === '.' || bare === '..') {
      file = probeFile(path.resolve(path.dirname(importerFile), bare));
    } else {
      const linked = resolveLinkedPackage(bare, importerFile);
      if (linked === null) return { type: 'bare', specifier: aliased };
      file = linked;
    }
    if (!file) {
      throw new DevServerError('ERR_UNRESOLVED_IMPORT', `Failed to resolve import "${specifier}" from "${idOf(importerFile)}". Does the file exist?`, {
        file: importerFile,
        hint: 'check the path and the file extension; relative imports start with ./ or ../',
      });
    }
    return { type: 'file', id: idOf(file) + query, file };
  }

  return { resolve, idOf, fileOf };
}

function applyAlias(specifier: string, aliases: Array<{ find: string; replacement: string }>): string {
  for (const { find, replacement } of aliases) {
    if (specifier === find || (find.endsWith('/') && specifier.startsWith(find))) {
      return replacement + specifier.slice(find.length);
    }
    if (!find.endsWith('/') && specifier.startsWith(find + '/')) return replacement + specifier.slice(find.length);
  }
  return specifier;
}

function splitQuery(specifier: string): [string, string] {
  const index = specifier.indexOf('?');
  return index === -1 ? [specifier, ''] : [specifier.slice(0, index), specifier.slice(index)];
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Exact file, TS's `.js` -> `.ts` convention, added extensions, then a directory's entry. */
export function probeFile(file: string): string | null {
  if (isFile(file)) return file;
  const ext = path.extname(file);
  if (ext === '.js' || ext === '.jsx' || ext === '.mjs') {
    const stem = file.slice(0, -ext.length);
    const tsExt = ext === '.mjs' ? ['.mts'] : ['.ts', '.tsx'];
    for (const candidate of tsExt) if (isFile(stem + candidate)) return stem + candidate;
  }
  for (const candidate of PROBE_EXTENSIONS) if (isFile(file + candidate)) return file + candidate;
  const pkgEntry = packageEntry(file);
  if (pkgEntry) return pkgEntry;
  for (const candidate of PROBE_EXTENSIONS) {
    const index = path.join(file, 'index' + candidate);
    if (isFile(index)) return index;
  }
  return null;
}

function readPackageJson(dir: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function packageEntry(dir: string, subpath = '.'): string | null {
  const pkg = readPackageJson(dir);
  if (!pkg) return null;
  if (pkg.exports !== undefined) {
    try {
      const targets = resolveExports(pkg, subpath, { conditions: CONDITIONS, unsafe: true });
      for (const target of targets ?? []) {
        const file = path.join(dir, target);
        if (isFile(file)) return file;
      }
    } catch {
      return null;
    }
    return null;
  }
  if (subpath !== '.') return probeFile(path.join(dir, subpath));
  for (const field of ['module', 'main']) {
    const value = pkg[field];
    if (typeof value === 'string') {
      const file = probeFile(path.join(dir, value));
      if (file) return file;
    }
  }
  return null;
}

/** Splits `@scope/pkg/sub` into `@scope/pkg` and `./sub`. */
export function splitPackageSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const count = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(count).join('/');
  return { name: parts.slice(0, count).join('/'), subpath: rest ? './' + rest : '.' };
}

/**
 * A bare import that lands on a linked workspace package (its real path is outside any
 * node_modules) resolves to that package's source file; null means "a real dependency".
 */
function resolveLinkedPackage(specifier: string, importerFile: string): string | null {
  const { name, subpath } = splitPackageSpecifier(specifier);
  let dir = path.dirname(importerFile);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(candidate)) {
      const real = fs.realpathSync(candidate);
      if (real.split(path.sep).includes('node_modules')) return null;
      return packageEntry(real, subpath);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

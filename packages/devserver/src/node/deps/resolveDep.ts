/**
 * Finds the file a bare import (`react`, `react-dom/client`, `@scope/pkg/sub`) points at,
 * the way Node would from the importing file: walk up `node_modules` folders, follow pnpm
 * symlinks to their real path (which may lie outside the project root), then apply the
 * package.json `exports` map with the browser/dev conditions, or the legacy
 * `browser`/`module`/`main` fields. The pre-bundler needs the entry file itself to tell ESM
 * from CommonJS and to list CommonJS export names before esbuild runs, and it must report
 * a missing package with the importer's name instead of esbuild's generic "could not
 * resolve" (which would only name our generated entry module).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { exports as resolveExports } from 'resolve.exports';
import { DevServerError } from '../errors.js';

/** Conditions used for a package's `exports` map, as the browser dev build sees them. */
export const DEP_CONDITIONS: readonly string[] = ['browser', 'import', 'module', 'development', 'default'];

export interface ParsedSpecifier {
  /** Package name: `react`, `@scope/pkg`. */
  name: string;
  /** `.` for the package root, else `./sub/path`. */
  subpath: string;
}

export interface ResolvedDep {
  specifier: string;
  name: string;
  /** Real path of the package folder (symlinks followed). */
  packageDir: string;
  /** Folder whose `node_modules/<name>` holds the package: esbuild resolves the bare specifier from here. */
  resolveDir: string;
  /** Real path of the entry file. */
  entry: string;
}

/**
 * Splits a bare specifier into package name and subpath; null when it is not a bare
 * package import (relative, absolute, URL, `node:` scheme, `..` segments).
 *
 * @example parseBareSpecifier('@scope/pkg/sub') // { name: '@scope/pkg', subpath: './sub' }
 */
export function parseBareSpecifier(specifier: string): ParsedSpecifier | null {
  if (!specifier || /^[./\\]/.test(specifier) || /[\\\0]/.test(specifier)) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) return null;
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  if (parts.length < nameLength) return null;
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return null;
  const name = parts.slice(0, nameLength).join('/');
  const rest = parts.slice(nameLength);
  return { name, subpath: rest.length > 0 ? `./${rest.join('/')}` : '.' };
}

/** True for Node built-ins (`fs`, `node:path`, `fs/promises`). */
export function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return builtinModules.includes(specifier) || builtinModules.includes(specifier.split('/')[0] ?? '');
}

/**
 * Walks up from `fromDir` looking for `node_modules/<name>/package.json`.
 *
 * @example await findPackageDir('react', '/app/src') // { dir: '/app/node_modules/react', resolveDir: '/app' }
 */
export async function findPackageDir(
  name: string,
  fromDir: string,
): Promise<{ dir: string; resolveDir: string } | null> {
  let dir = path.resolve(fromDir);
  for (;;) {
    if (path.basename(dir) !== 'node_modules') {
      const candidate = path.join(dir, 'node_modules', name);
      if (await isFile(path.join(candidate, 'package.json'))) return { dir: candidate, resolveDir: dir };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Resolves `specifier` imported from the absolute file `importer`.
 * Throws ERR_DEP_NOT_INSTALLED when no package folder is found, ERR_UNRESOLVED_IMPORT when
 * the package exists but does not expose the subpath.
 *
 * @example await resolveDep('react-dom/client', '/app/src/main.tsx', '/app')
 */
export async function resolveDep(specifier: string, importer: string, root: string): Promise<ResolvedDep> {
  const shown = displayPath(importer, root);
  const parsed = parseBareSpecifier(specifier);
  if (!parsed) {
    throw new DevServerError('ERR_UNRESOLVED_IMPORT', `"${specifier}" imported by ${shown} is not a package import.`, {
      file: importer,
      hint: isNodeBuiltin(specifier)
        ? `"${specifier}" is a Node.js built-in; it does not exist in the browser.`
        : 'Only bare package names (like "react" or "react-dom/client") are pre-bundled.',
    });
  }
  const found = await findPackageDir(parsed.name, path.dirname(importer));
  if (!found) {
    throw new DevServerError(
      'ERR_DEP_NOT_INSTALLED',
      `Dependency "${specifier}" is not installed (imported by ${shown}).`,
      {
        file: importer,
        hint: isNodeBuiltin(specifier)
          ? `"${parsed.name}" is a Node.js built-in and does not exist in the browser; use a browser package instead.`
          : `Install it: pnpm add ${parsed.name} (or npm install ${parsed.name}).`,
      },
    );
  }
  const packageDir = await fs.realpath(found.dir);
  const pkg = await readPackageJson(path.join(packageDir, 'package.json'), specifier, importer);
  const entry =
    pkg.exports !== undefined && pkg.exports !== null
      ? await resolveFromExports(pkg, packageDir, parsed, specifier, importer, shown)
      : await resolveLegacy(pkg, packageDir, parsed.subpath);
  if (!entry) {
    throw new DevServerError(
      'ERR_UNRESOLVED_IMPORT',
      `Package "${parsed.name}" has no file for "${specifier}" (imported by ${shown}).`,
      { file: importer, hint: `Check the path, or reinstall the package (its folder is ${packageDir}).` },
    );
  }
  return { specifier, name: parsed.name, packageDir, resolveDir: found.resolveDir, entry: await fs.realpath(entry) };
}

type PackageJson = Record<string, unknown>;

async function readPackageJson(file: string, specifier: string, importer: string): Promise<PackageJson> {
  try {
    const value: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as PackageJson;
  } catch (error) {
    throw new DevServerError('ERR_DEP_OPTIMIZE', `Cannot read ${file} for "${specifier}".`, {
      file: importer,
      hint: 'The package.json is not valid JSON; reinstall the package.',
      cause: error,
    });
  }
  throw new DevServerError('ERR_DEP_OPTIMIZE', `${file} for "${specifier}" is not a JSON object.`, {
    file: importer,
    hint: 'Reinstall the package.',
  });
}

async function resolveFromExports(
  pkg: PackageJson,
  packageDir: string,
  parsed: ParsedSpecifier,
  specifier: string,
  importer: string,
  shown: string,
): Promise<string | null> {
  let targets: string[] = [];
  try {
    targets = resolveExports(pkg, parsed.subpath, { conditions: DEP_CONDITIONS, unsafe: true }) ?? [];
  } catch {
    targets = [];
  }
  if (targets.length === 0) {
    throw new DevServerError(
      'ERR_UNRESOLVED_IMPORT',
      `Package "${parsed.name}" does not export "${parsed.subpath}" (import "${specifier}" in ${shown}).`,
      { file: importer, hint: `See the "exports" field of ${path.join(packageDir, 'package.json')}.` },
    );
  }
  for (const target of targets) {
    const file = path.join(packageDir, target);
    if (await isFile(file)) return file;
  }
  return null;
}

/** Packages without `exports`: `browser` (string or file map), `module`, `main`, `index.js`. */
async function resolveLegacy(pkg: PackageJson, packageDir: string, subpath: string): Promise<string | null> {
  let file: string | null = null;
  if (subpath === '.') {
    for (const field of ['browser', 'module', 'main']) {
      const value = pkg[field];
      if (typeof value === 'string' && (file = await tryFile(path.join(packageDir, value)))) break;
    }
    file ??= await tryFile(path.join(packageDir, 'index'));
  } else {
    file = await tryFile(path.join(packageDir, subpath));
  }
  return file ? applyBrowserMap(pkg, packageDir, file) : null;
}

/** The object form of `browser`: `{ "./lib/node.js": "./lib/browser.js" }`. */
async function applyBrowserMap(pkg: PackageJson, packageDir: string, file: string): Promise<string> {
  const map = pkg.browser;
  if (!map || typeof map !== 'object' || Array.isArray(map)) return file;
  const relative = `./${path.relative(packageDir, file).split(path.sep).join('/')}`;
  const replacement: unknown = (map as Record<string, unknown>)[relative];
  if (typeof replacement !== 'string') return file;
  return (await tryFile(path.join(packageDir, replacement))) ?? file;
}

/** Node's file lookup: as is, with an extension, or a folder's package.json main / index. */
async function tryFile(base: string): Promise<string | null> {
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, `${base}.json`]) {
    if (await isFile(candidate)) return candidate;
  }
  const nested = path.join(base, 'package.json');
  if (await isFile(nested)) {
    try {
      const pkg: unknown = JSON.parse(await fs.readFile(nested, 'utf8'));
      if (pkg && typeof pkg === 'object') {
        for (const field of ['module', 'main'] as const) {
          const value: unknown = (pkg as Record<string, unknown>)[field];
          if (typeof value === 'string') {
            const file = await tryFile(path.join(base, value));
            if (file) return file;
          }
        }
      }
    } catch {
      // An unreadable nested package.json falls through to index.js, as in Node.
    }
  }
  for (const index of ['index.js', 'index.mjs', 'index.cjs']) {
    const candidate = path.join(base, index);
    if (await isFile(candidate)) return candidate;
  }
  return null;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Root-relative path for messages (absolute when outside the root). */
export function displayPath(file: string, root: string): string {
  const relative = path.relative(root, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : file;
}

/**
 * Whether `optimizeDeps.exclude` covers a specifier: an entry matches the specifier itself
 * or its package name (excluding `pkg` excludes `pkg/sub`).
 *
 * @example isExcludedDep('lodash-es/debounce', ['lodash-es']) // true
 */
export function isExcludedDep(specifier: string, exclude: readonly string[]): boolean {
  if (exclude.length === 0) return false;
  const name = parseBareSpecifier(specifier)?.name;
  return exclude.some((entry) => entry === specifier || entry === name);
}

/**
 * The pre-bundle's disk cache: `<cacheDir>/deps/` holds the output files plus
 * `_metadata.json` (which dependencies, their exports, the version hash). It is valid while
 * the config hash matches: lockfile contents, esbuild version, define/include/exclude and
 * the root. A cache write goes to a fresh temp folder that is renamed into place, so a
 * crash at any point leaves either the old cache, the new one, or none, never a mix.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadEsbuild } from '../lazyModules.js';
import type { EntryAnalysis } from './depEntry.js';

/** Bump when the metadata shape or the generated entries change. */
export const CACHE_FORMAT = 1;
const LOCKFILES = ['pnpm-lock.yaml', 'package-lock.json', 'yarn.lock'];
const METADATA_FILE = '_metadata.json';
const DEPS_DIR = 'deps';
/** Leftover temp folders older than this are from a crashed process and are removed. */
const STALE_TEMP_MS = 10 * 60 * 1000;

export interface DepRecord {
  specifier: string;
  /** Output file stem: the module id is `/@deps/<stem>.js`. */
  stem: string;
  /** Package folder (real path). */
  packageDir: string;
  /** Folder esbuild resolves the specifier from. */
  resolveDir: string;
  /** The file that first imported it (for messages). */
  importer: string;
  analysis: EntryAnalysis;
  /** Export names of the built entry (from esbuild's metafile). */
  exports: string[];
}

export interface DepMetadata {
  format: number;
  configHash: string;
  /** Version of this optimization: the `?v=` of every dependency URL. */
  hash: string;
  deps: DepRecord[];
  files: string[];
}

export interface ConfigHashInput {
  root: string;
  define: Record<string, string>;
  include: string[];
  exclude: string[];
}

/**
 * Hash of what makes a cached pre-bundle reusable: the lockfile(s) nearest to the root
 * (walking up, for workspaces), the esbuild version and the optimizer options.
 *
 * @example await computeConfigHash({ root: '/app', define: {}, include: [], exclude: [] })
 */
export async function computeConfigHash(input: ConfigHashInput): Promise<string> {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify({
    format: CACHE_FORMAT,
    esbuild: (await loadEsbuild()).version,
    root: input.root,
    define: Object.entries(input.define).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    include: [...input.include].sort(),
    exclude: [...input.exclude].sort(),
  }));
  for (const file of await findLockfiles(input.root)) {
    hash.update(`\0${path.basename(file)}\0`);
    hash.update(await fs.readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Lockfiles in the nearest folder at or above `root` that has any. */
export async function findLockfiles(root: string): Promise<string[]> {
  let dir = path.resolve(root);
  for (;;) {
    const found: string[] = [];
    for (const name of LOCKFILES) {
      const file = path.join(dir, name);
      try {
        if ((await fs.stat(file)).isFile()) found.push(file);
      } catch {
        // not here
      }
    }
    if (found.length > 0) return found;
    const parent = path.dirname(dir);
    if (parent === dir) return [];
    dir = parent;
  }
}

/** The metadata and all files of a cache whose config hash matches, else null. */
export async function readDepCache(
  cacheDir: string,
  configHash: string,
): Promise<{ metadata: DepMetadata; files: Map<string, string> } | null> {
  const dir = path.join(cacheDir, DEPS_DIR);
  let metadata: DepMetadata;
  try {
    metadata = JSON.parse(await fs.readFile(path.join(dir, METADATA_FILE), 'utf8')) as DepMetadata;
  } catch {
    return null;
  }
  if (
    metadata.format !== CACHE_FORMAT ||
    metadata.configHash !== configHash ||
    !Array.isArray(metadata.deps) ||
    !Array.isArray(metadata.files)
  ) {
    return null;
  }
  const files = new Map<string, string>();
  try {
    for (const name of metadata.files) {
      if (!isPlainFileName(name)) return null;
      files.set(name, await fs.readFile(path.join(dir, name), 'utf8'));
    }
  } catch {
    return null;
  }
  return { metadata, files };
}

/**
 * Replaces the cache with `metadata` and `files`: written to a temp folder, then swapped in
 * with two renames (a crash between them only loses the cache).
 */
export async function writeDepCache(cacheDir: string, metadata: DepMetadata, files: Map<string, string>): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  const suffix = `${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const temp = path.join(cacheDir, `${DEPS_DIR}_temp_${suffix}`);
  const old = path.join(cacheDir, `${DEPS_DIR}_old_${suffix}`);
  const target = path.join(cacheDir, DEPS_DIR);
  try {
    await fs.mkdir(temp);
    for (const [name, code] of files) {
      if (!isPlainFileName(name)) throw new Error(`unexpected output file name ${name}`);
      await fs.writeFile(path.join(temp, name), code);
    }
    await fs.writeFile(path.join(temp, METADATA_FILE), JSON.stringify(metadata, null, 2));
    let hadOld = true;
    try {
      await fs.rename(target, old);
    } catch {
      hadOld = false;
    }
    await fs.rename(temp, target);
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

/** Removes temp/old folders a crashed process left behind (only old ones: another server may be writing). */
export async function removeStaleTempDirs(cacheDir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(cacheDir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(`${DEPS_DIR}_temp_`) && !name.startsWith(`${DEPS_DIR}_old_`)) continue;
    const dir = path.join(cacheDir, name);
    try {
      if (now - (await fs.stat(dir)).mtimeMs > STALE_TEMP_MS) await fs.rm(dir, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

/** Output names are flat (`react.js`, `chunk-X.js`): anything else is refused. */
function isPlainFileName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && !/[\\/\0]/.test(name) && name !== '.' && name !== '..';
}

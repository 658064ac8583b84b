/**
 * Finds `devserver.config.{ts,mts,js,mjs}` (or the file given with `--config`), bundles it
 * with esbuild so TypeScript and relative imports work on plain Node, imports the result and
 * returns the config object. The bundle is written next to the nearest `node_modules` (so
 * bare imports of plugins resolve from the project) and deleted right after the import.
 * Failures become one-line `ERR_CONFIG` errors that name the file (and line and column for
 * syntax errors, with a code frame), never a bare stack trace.
 */
import type { Message, Plugin as EsbuildPlugin } from 'esbuild';
import { loadEsbuild } from '../lazyModules.js';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DevServerError } from '../errors.js';
import { codeFrame } from '../transform/codeFrame.js';
import type { ConfigEnv } from './defineConfig.js';
import type { UserConfig } from './types.js';

/** Names looked up in the root, first found wins. */
export const CONFIG_FILE_NAMES = [
  'devserver.config.ts',
  'devserver.config.mts',
  'devserver.config.js',
  'devserver.config.mjs',
] as const;

export interface LoadedConfigFile {
  config: UserConfig;
  /** Absolute path of the config file. */
  file: string;
  /** Every file esbuild bundled (the config and its local imports), absolute. */
  dependencies: string[];
  /** Text of the config file, for error locations. */
  source: string;
}

export interface LoadConfigFileOptions {
  root: string;
  /** Explicit path (relative to cwd); when absent the root is searched. */
  configFile?: string;
  mode: string;
}

/** The first config file name that exists in `root`, or undefined. */
export function findConfigFile(root: string): string | undefined {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(root, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Loads the config file, or returns null when there is none in the root.
 *
 * @example
 * ```ts
 * const loaded = await loadConfigFile({ root: process.cwd(), mode: 'development' });
 * const port = loaded?.config.server?.port; // undefined when there is no config file
 * ```
 */
export async function loadConfigFile(options: LoadConfigFileOptions): Promise<LoadedConfigFile | null> {
  let file: string;
  if (options.configFile) {
    file = path.resolve(options.configFile);
    if (!fs.existsSync(file)) {
      throw new DevServerError('ERR_CONFIG', `config file ${file} does not exist`, {
        file,
        hint: 'check the path given with --config',
      });
    }
  } else {
    const found = findConfigFile(options.root);
    if (!found) return null;
    file = found;
  }
  const source = fs.readFileSync(file, 'utf8');
  const { code, dependencies } = await bundleConfigFile(file);
  const exported = await importBundled(file, code);
  const config = await unwrapExport(file, exported, { mode: options.mode, command: 'serve' });
  return { config, file, dependencies, source };
}

/** Prefix length (in bytes) injected at the start of line 1 of each local file. */
type Injected = Map<string, number>;

async function bundleConfigFile(file: string): Promise<{ code: string; dependencies: string[] }> {
  const injected: Injected = new Map();
  const workDir = path.dirname(file);
  try {
    const result = await (await loadEsbuild()).build({
      entryPoints: [file],
      absWorkingDir: workDir,
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
      sourcemap: false,
      define: {
        'import.meta.url': '__devserver_import_meta_url',
        'import.meta.dirname': '__devserver_dirname',
        'import.meta.filename': '__devserver_filename',
        __dirname: '__devserver_dirname',
        __filename: '__devserver_filename',
      },
      plugins: [injectFileValues(injected)],
    });
    const dependencies = Object.keys(result.metafile.inputs)
      .filter((input) => !/^[\w-]+:/.test(input) || /^[a-zA-Z]:[\\/]/.test(input))
      .map((input) => path.resolve(workDir, input));
    return { code: result.outputFiles[0]?.text ?? '', dependencies };
  } catch (error) {
    throw bundleError(file, workDir, error, injected);
  }
}

/**
 * Gives every local file its own `import.meta.url`, `__dirname` and `__filename` (they
 * would otherwise point at the temporary bundle). The declarations go on line 1 without a
 * newline so line numbers in syntax errors stay right; columns on line 1 are corrected.
 */
function injectFileValues(injected: Injected): EsbuildPlugin {
  return {
    name: 'devserver:config-file-values',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const contents = await fsp.readFile(args.path, 'utf8');
        const ext = path.extname(args.path);
        const loader = /^\.[cm]?ts$/.test(ext) ? 'ts' : ext === '.tsx' ? 'tsx' : ext === '.jsx' ? 'jsx' : 'js';
        if (contents.startsWith('#!')) return { contents, loader };
        const prefix =
          `const __devserver_import_meta_url = ${JSON.stringify(pathToFileURL(args.path).href)};` +
          `const __devserver_dirname = ${JSON.stringify(path.dirname(args.path))};` +
          `const __devserver_filename = ${JSON.stringify(args.path)};`;
        injected.set(args.path, Buffer.byteLength(prefix));
        return { contents: prefix + contents, loader };
      });
    },
  };
}

function isBuildFailure(error: unknown): error is { errors: Message[] } {
  return !!error && typeof error === 'object' && 'errors' in error && Array.isArray(error.errors);
}

/** esbuild's failure -> `ERR_CONFIG` naming file:line:column, with a code frame. */
function bundleError(configFile: string, workDir: string, error: unknown, injected: Injected): DevServerError {
  const first = isBuildFailure(error) ? error.errors[0] : undefined;
  if (!first) {
    const message = error instanceof Error ? error.message : String(error);
    return new DevServerError('ERR_CONFIG', `failed to bundle config ${configFile}: ${message}`, {
      file: configFile,
      cause: error,
    });
  }
  const loc = first.location;
  if (!loc) {
    return new DevServerError('ERR_CONFIG', `failed to bundle config ${configFile}: ${first.text}`, {
      file: configFile,
      cause: error,
    });
  }
  const file = path.resolve(workDir, loc.file);
  let lineText = loc.lineText;
  let byteColumn = loc.column;
  const shift = loc.line === 1 ? (injected.get(file) ?? 0) : 0;
  if (shift > 0 && byteColumn >= shift) {
    byteColumn -= shift;
    lineText = Buffer.from(lineText).subarray(shift).toString();
  }
  // esbuild columns count bytes; editors count characters.
  const column = Buffer.from(lineText).subarray(0, byteColumn).toString().length + 1;
  let frame: string;
  try {
    frame = codeFrame(fs.readFileSync(file, 'utf8'), loc.line, column);
  } catch {
    frame = codeFrame(lineText, 1, column);
  }
  const where = `${file}:${loc.line}:${column}`;
  const inConfig = file === configFile ? '' : ` (imported by ${configFile})`;
  const kind = /^Could not resolve/.test(first.text) ? 'cannot bundle config' : 'syntax error in config';
  const more = isBuildFailure(error) && error.errors.length > 1 ? ` (and ${error.errors.length - 1} more)` : '';
  return new DevServerError('ERR_CONFIG', `${kind} ${where}${inConfig}: ${first.text}${more}`, {
    file,
    loc: { line: loc.line, column },
    frame,
    hint: 'fix the config file; the server restarts when it is saved',
    cause: error,
  });
}

/** Where the bundle goes: a folder in the nearest node_modules, else the OS temp dir. */
function tempDirFor(file: string): string {
  let dir = path.dirname(file);
  for (;;) {
    const nodeModules = path.join(dir, 'node_modules');
    if (fs.existsSync(nodeModules)) return path.join(nodeModules, '.devserver-temp');
    const parent = path.dirname(dir);
    if (parent === dir) return os.tmpdir();
    dir = parent;
  }
}

async function importBundled(file: string, code: string): Promise<Record<string, unknown>> {
  const name = `${path.basename(file)}.${Date.now()}-${Math.random().toString(36).slice(2, 8)}.mjs`;
  let tempFile = path.join(tempDirFor(file), name);
  try {
    await fsp.mkdir(path.dirname(tempFile), { recursive: true });
    await fsp.writeFile(tempFile, code);
  } catch {
    // Read-only node_modules (e.g. a store mount): fall back to the temp dir.
    tempFile = path.join(os.tmpdir(), name);
    await fsp.writeFile(tempFile, code);
  }
  const url = pathToFileURL(tempFile);
  try {
    const mod: unknown = await import(`${url.href}?t=${Date.now()}`);
    return mod as Record<string, unknown>;
  } catch (error) {
    throw importError(file, error, [tempFile, url.href]);
  } finally {
    await fsp.rm(tempFile, { force: true });
  }
}

/** The thrown error as one line that names the config file (temp paths replaced). */
function importError(file: string, error: unknown, tempNames: string[]): DevServerError {
  let message = error instanceof Error ? error.message : String(error);
  for (const name of tempNames) message = message.split(name).join(file);
  message = message.split('\n')[0] ?? message;
  return new DevServerError('ERR_CONFIG', `failed to load config ${file}: ${message}`, {
    file,
    hint: 'the config file threw while it was evaluated; fix it and save to restart',
    cause: error,
  });
}

async function unwrapExport(file: string, mod: Record<string, unknown>, env: ConfigEnv): Promise<UserConfig> {
  if (!('default' in mod)) {
    throw new DevServerError('ERR_CONFIG', `config ${file} has no default export`, {
      file,
      hint: 'export the config: export default defineConfig({ ... })',
    });
  }
  let value: unknown = mod.default;
  if (typeof value === 'function') {
    try {
      value = await (value as (env: ConfigEnv) => unknown)(env);
    } catch (error) {
      throw importError(file, error, []);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
    throw new DevServerError('ERR_CONFIG', `config ${file} must export an object or a function returning one (got ${got})`, {
      file,
      hint: 'export default defineConfig({ ... })',
    });
  }
  return value as UserConfig;
}

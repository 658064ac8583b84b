/**
 * Turns what the user gave (config file, createServer options, CLI flags) into the one
 * `ResolvedConfig` every other part of the server reads. Precedence: CLI flags, then
 * createServer options, then the config file, then defaults. Plugin `config` hooks run on
 * the merged config, then validation, then defaults are filled in, then `configResolved`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DevServerError, errnoCode } from '../errors.js';
import { createLogger } from '../logger.js';
import { findDefaultAllowRoot } from '../security/fileGate.js';
import { runConfigHooks, runConfigResolvedHooks, sortPlugins } from './configPlugins.js';
import { loadConfigFile, type LoadedConfigFile } from './loadConfigFile.js';
import { DEFAULT_ENV_PREFIXES, envFiles, loadEnv } from './loadEnv.js';
import { mergeConfig } from './mergeConfig.js';
import { tsconfigAliases, type AliasEntry } from './tsconfigPaths.js';
import type { ResolvedConfig, UserConfig } from './types.js';
import { validateConfig } from './validateConfig.js';

export { defineConfig } from './defineConfig.js';

export const DEFAULT_PORT = 5173;

/**
 * Resolves the full server config.
 *
 * @param inline options passed to `createServer()` (they win over the config file)
 * @param cliOverrides command-line flags (they win over everything)
 * @example
 * ```ts
 * const config = await resolveConfig({ root: './app' }, { server: { port: 3000 } });
 * config.server.port; // 3000
 * ```
 */
export async function resolveConfig(inline: UserConfig, cliOverrides?: UserConfig): Promise<ResolvedConfig> {
  // createServer({ ...options, cliOverrides }) may hand its whole argument to us.
  const { cliOverrides: nested, ...inlineRest } = inline as UserConfig & { cliOverrides?: UserConfig };
  const cli = cliOverrides ?? nested ?? {};
  validateConfig(inlineRest, { origin: 'createServer options' });
  validateConfig(cli, { origin: 'command-line flags' });

  const cwd = process.cwd();
  const startRoot = path.resolve(cwd, cli.root ?? inlineRest.root ?? '.');
  const startMode = cli.mode ?? inlineRest.mode ?? 'development';
  const configFile = cli.configFile ?? inlineRest.configFile;

  let loaded: LoadedConfigFile | null = null;
  if (configFile !== false) {
    loaded = await loadConfigFile({ root: startRoot, configFile, mode: startMode });
  }
  let fileConfig: UserConfig = {};
  if (loaded) {
    validateConfig(loaded.config, { file: loaded.file, source: loaded.source });
    fileConfig = loaded.config;
    // A root written in the config file is relative to that file, not to the shell.
    if (fileConfig.root !== undefined) {
      fileConfig = { ...fileConfig, root: path.resolve(path.dirname(loaded.file), fileConfig.root) };
    }
  }

  let merged = mergeConfig(mergeConfig(fileConfig, inlineRest), cli);
  const mode = merged.mode ?? 'development';
  const plugins = sortPlugins(merged.plugins);
  merged = await runConfigHooks(plugins, merged, mode);
  validateConfig(merged, { origin: 'the config returned by plugin config hooks', unknownKeys: 'ignore' });

  const root = path.resolve(cwd, merged.root ?? '.');
  checkRoot(root);

  const resolved = buildResolved(merged, { root, mode: merged.mode ?? mode, plugins, loaded });
  await runConfigResolvedHooks(resolved);
  return resolved;
}

interface BuildContext {
  root: string;
  mode: string;
  plugins: ResolvedConfig['plugins'];
  loaded: LoadedConfigFile | null;
}

function buildResolved(config: UserConfig, ctx: BuildContext): ResolvedConfig {
  const { root, mode } = ctx;
  const debug = config.debug === true;
  const logger = config.customLogger ?? createLogger({ level: config.logLevel ?? 'info', debug: debug || undefined });
  const base = normalizeBase(config.base);
  const envPrefix = config.envPrefix === undefined ? [...DEFAULT_ENV_PREFIXES] : [config.envPrefix].flat();
  const userEnv = loadEnv(mode, root, envPrefix);
  const { fs: fsOptions, port, strictPort, overlay, host, ...server } = config.server ?? {};

  return {
    root,
    base,
    mode,
    publicDir: config.publicDir === false ? null : path.resolve(root, config.publicDir ?? 'public'),
    define: { ...config.define },
    alias: [...userAliases(config.resolve?.alias, root), ...tsconfigAliases(root, (m) => logger.warn(m))],
    conditions: [...(config.resolve?.conditions ?? [])],
    envPrefix,
    env: { ...userEnv, MODE: mode, DEV: true, PROD: false, SSR: false, BASE_URL: base },
    server: {
      ...server,
      port: port ?? DEFAULT_PORT,
      strictPort: strictPort ?? false,
      overlay: overlay ?? true,
      host: resolveHost(host),
      fs: {
        allow: fsOptions?.allow ? fsOptions.allow.map((dir) => path.resolve(root, dir)) : [findDefaultAllowRoot(root)],
        deny: [...(fsOptions?.deny ?? [])],
      },
    },
    plugins: ctx.plugins,
    cacheDir: path.resolve(root, config.cacheDir ?? 'node_modules/.devserver'),
    optimizeDeps: {
      include: [...(config.optimizeDeps?.include ?? [])],
      exclude: [...(config.optimizeDeps?.exclude ?? [])],
      force: config.optimizeDeps?.force ?? false,
    },
    logger,
    middlewareMode: config.middlewareMode ?? false,
    httpServer: config.httpServer,
    configFile: ctx.loaded?.file,
    // tsconfig/jsconfig too: their `paths` become aliases.
    configDependencies: [
      ...new Set([
        ...(ctx.loaded?.dependencies ?? []),
        ...envFiles(mode, root),
        path.join(root, 'tsconfig.json'),
        path.join(root, 'jsconfig.json'),
      ]),
    ],
    debug,
    backend: config.backend,
  };
}

/** The root must exist and be a folder; say which, with the fix. */
function checkRoot(root: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') {
      throw new DevServerError('ERR_ROOT_MISSING', `root ${root} does not exist`, {
        file: root,
        hint: 'pass the folder that holds index.html: devserver ./my-app',
      });
    }
    throw new DevServerError('ERR_PERMISSION', `cannot read root ${root}: ${errnoCode(error) ?? String(error)}`, {
      file: root,
      hint: 'check the permissions of the folder',
      cause: error,
    });
  }
  if (!stat.isDirectory()) {
    throw new DevServerError('ERR_ROOT_NOT_DIRECTORY', `root ${root} is not a directory`, {
      file: root,
      hint: 'pass the folder that holds index.html, not a file: devserver ./my-app',
    });
  }
}

/** `true` (or `--host` without a value) listens on every interface. */
function resolveHost(host: string | boolean | undefined): string {
  if (host === true) return '0.0.0.0';
  if (typeof host === 'string' && host !== '') return host;
  return 'localhost';
}

/** `/app`, `app/`, `https://cdn.x/app` -> `/app/`; empty or `./` -> `/`. */
export function normalizeBase(base: string | undefined): string {
  let b = base ?? '/';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(b)) b = new URL(b).pathname;
  if (b === '' || b === '.' || b === './') return '/';
  if (!b.startsWith('/')) b = '/' + b.replace(/^\.\//, '');
  return b.endsWith('/') ? b : b + '/';
}

/**
 * `resolve.alias` as entries. Replacements that start with `./` are relative to the root;
 * ones that start with `/` are root-relative when that path exists in the root (Vite's
 * `{ '@': '/src' }`), else absolute; anything else (a package name) is kept as written.
 */
function userAliases(alias: Record<string, string> | undefined, root: string): AliasEntry[] {
  return Object.entries(alias ?? {}).map(([find, replacement]) => {
    if (replacement.startsWith('./') || replacement.startsWith('../')) {
      return { find, replacement: path.resolve(root, replacement) + (replacement.endsWith('/') ? '/' : '') };
    }
    if (replacement.startsWith('/') && !replacement.startsWith(root + path.sep)) {
      const inRoot = path.join(root, replacement);
      if (fs.existsSync(inRoot)) return { find, replacement: inRoot };
    }
    return { find, replacement };
  });
}

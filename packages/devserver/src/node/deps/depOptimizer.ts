/**
 * The dependency pre-bundler: bare imports found in app code become browser ESM files
 * served at `/@deps/<name>.js?v=<hash>`.
 *
 * Lifecycle: `createDepOptimizer()` loads the disk cache (if its key still matches);
 * `resolve()` returns at once for a known dependency, else analyses the new one and queues
 * it; once no analysis is running and no new dependency arrived for BATCH_QUIET_MS, one
 * esbuild build over *all* known dependencies runs (so shared code stays in shared chunks
 * and React exists once). While a build runs, new arrivals wait for the next one.
 *
 * The `?v=` hash is fixed for the session unless a rebuild changed a file a page already
 * loaded: then open pages hold the old copy (two Reacts if they went on), so the hash
 * changes and `onInvalidated` listeners are told to reload them. Changing the hash in any
 * other case would make modules transformed before and after the rebuild import the same
 * dependency under two URLs, i.e. two instances in one page.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEPS_PREFIX } from '../../shared/constants.js';
import { DevServerError } from '../errors.js';
import type { Logger } from '../logger.js';
import { bundleDeps } from './bundleDeps.js';
import { CACHE_FORMAT, computeConfigHash, readDepCache, removeStaleTempDirs, writeDepCache, type DepRecord } from './depCache.js';
import { analyzeEntry, depFileStem, entryCode, initEntryAnalysis } from './depEntry.js';
import { failureToError, formatList, splitCulprits } from './depFailure.js';
import { compareBuilds, toOutputFiles, versionHash, type OutputFile } from './depVersions.js';
import { isExcludedDep, resolveDep } from './resolveDep.js';

export { isExcludedDep } from './resolveDep.js';

export interface DepInfo {
  /** Module id, stable per specifier: '/@deps/react.js', '/@deps/react-dom_client.js', '/@deps/@scope_pkg_sub.js' */
  id: string;
  /** What the browser imports: id + '?v=<hash of this optimization>' */
  url: string;
  /** Named exports the module really has (for a CJS package: the names its module.exports has, plus 'default'). */
  exports: string[];
}

export interface DepOptimizer {
  /**
   * Pre-bundles `specifier` (bare import as written, may have a subpath) imported from the
   * absolute file `importer`. Concurrent calls are batched into one build. Throws
   * DevServerError ERR_DEP_NOT_INSTALLED, ERR_UNRESOLVED_IMPORT (subpath not exported) or
   * ERR_DEP_OPTIMIZE (esbuild failed; also for specifiers in `exclude`).
   */
  resolve(specifier: string, importer: string): Promise<DepInfo>;
  /**
   * Like resolve(), but answers as soon as the package is found and analysed (the errors
   * that concern the importer, such as ERR_DEP_NOT_INSTALLED, are thrown here), with the
   * module id and the build still to come. A page crawl uses it so that finding a module's
   * bare imports never waits for a build, and all of them end up in one build.
   */
  prepare(specifier: string, importer: string): Promise<{ id: string; built: Promise<DepInfo> }>;
  /** Serves a '/@deps/...' path (query ignored): entry files and shared chunks. null if unknown. */
  load(urlPath: string): Promise<{ code: string; etag: string } | null>;
  /**
   * Called when a rebuild (new dep seen after pages loaded) changed files already served, so
   * open pages must reload; reason names the new dependency. The `?v=` of every dependency
   * changes at that moment: URLs handed out before (e.g. in cached transforms) are stale.
   */
  onInvalidated(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

export interface DepOptimizerOptions {
  /** Project root (absolute). */
  root: string;
  /** e.g. `<root>/node_modules/.devserver` */
  cacheDir: string;
  logger: Logger;
  /** Ignore the disk cache. */
  force?: boolean;
  /** Merged with `process.env.NODE_ENV: '"development"'` (which always wins). */
  define?: Record<string, string>;
  /** Specifiers pre-bundled at start, resolved from the root. */
  include?: string[];
  /** Package names (or specifiers) never pre-bundled: `resolve()` refuses them. */
  exclude?: string[];
}

/** How long the optimizer waits for more new dependencies before building. */
const BATCH_QUIET_MS = 40;

interface Deferred {
  promise: Promise<DepInfo>;
  resolve(info: DepInfo): void;
  reject(error: unknown): void;
}

/**
 * Creates the pre-bundler for one server.
 *
 * @example
 * const deps = createDepOptimizer({ root, cacheDir: path.join(root, 'node_modules/.devserver'), logger });
 * const react = await deps.resolve('react', path.join(root, 'src/main.tsx'));
 * // react.url === '/@deps/react.js?v=1a2b3c4d'; react.exports includes 'useState' and 'default'
 */
export function createDepOptimizer(options: DepOptimizerOptions): DepOptimizer {
  const root = path.resolve(options.root);
  const cacheDir = path.resolve(options.cacheDir);
  const logger = options.logger;
  const define = { ...options.define, 'process.env.NODE_ENV': '"development"' };
  const include = options.include ?? [];
  const exclude = options.exclude ?? [];
  const hashInput = { root, define, include, exclude };

  let committed = new Map<string, DepRecord>();
  let outputs = new Map<string, OutputFile>();
  let hash = '';
  /** Version written to disk for the next session (see commit()). */
  let persistedHash = '';
  let configHash = '';
  const queue = new Map<string, DepRecord>();
  const waiting = new Map<string, Deferred>();
  /** Settles when a specifier's package was found and analysed (kept: later importers of a
   * queued dependency need not wait for its build either). */
  const analysed = new Map<string, Promise<void>>();
  const served = new Set<string>();
  const listeners: Array<(reason: string) => void> = [];
  let analysing = 0;
  let building: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const ready = init();
  ready.catch(() => undefined); // surfaced by every resolve()/load() that awaits it
  void ready.then(preBundleIncludes, () => undefined);

  async function init(): Promise<void> {
    await initEntryAnalysis();
    await removeStaleTempDirs(cacheDir);
    configHash = await computeConfigHash(hashInput);
    if (options.force) return;
    const cached = await readDepCache(cacheDir, configHash);
    if (!cached) return;
    committed = new Map(cached.metadata.deps.map((dep) => [dep.specifier, dep]));
    outputs = toOutputFiles(cached.files);
    hash = persistedHash = cached.metadata.hash;
    logger.debug(`deps: reusing ${committed.size} pre-bundled dependencies from cache (${hash})`);
  }

  function preBundleIncludes(): void {
    const importer = path.join(root, 'package.json');
    for (const specifier of include) {
      resolve(specifier, importer).catch((error: unknown) => {
        logger.warn(`optimizeDeps.include: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }

  function toInfo(record: DepRecord): DepInfo {
    const id = `${DEPS_PREFIX}${record.stem}.js`;
    return { id, url: `${id}?v=${hash}`, exports: record.exports };
  }

  async function resolve(specifier: string, importer: string): Promise<DepInfo> {
    await ready;
    if (closed) throw closedError();
    if (isExcludedDep(specifier, exclude)) {
      throw new DevServerError('ERR_DEP_OPTIMIZE', `"${specifier}" is excluded from pre-bundling.`, {
        file: importer,
        hint: 'It is listed in optimizeDeps.exclude; serve it as source instead.',
      });
    }
    const known = committed.get(specifier);
    if (known) return toInfo(known);
    const pending = waiting.get(specifier);
    if (pending) return pending.promise;
    const deferred = createDeferred();
    waiting.set(specifier, deferred);
    let analysisDone!: () => void;
    let analysisFailed!: (error: unknown) => void;
    const analysis = new Promise<void>((res, rej) => {
      analysisDone = res;
      analysisFailed = rej;
    });
    analysis.catch(() => undefined);
    analysed.set(specifier, analysis);
    analysing++;
    try {
      const resolved = await resolveDep(specifier, importer, root);
      const analysis = await analyzeEntry(resolved.entry);
      if (closed) throw closedError();
      const { packageDir, resolveDir } = resolved;
      const stem = depFileStem(specifier);
      queue.set(specifier, { specifier, stem, packageDir, resolveDir, importer, analysis, exports: [] });
      analysisDone();
    } catch (error) {
      // Not remembered: the package may be installed a moment later.
      waiting.delete(specifier);
      deferred.reject(error);
      analysisFailed(error);
      analysed.delete(specifier);
    } finally {
      analysing--;
      scheduleBuild();
    }
    return deferred.promise;
  }

  async function prepare(specifier: string, importer: string): Promise<{ id: string; built: Promise<DepInfo> }> {
    const built = resolve(specifier, importer);
    await ready;
    // resolve() registered its analysis before this continuation ran (same awaited promise).
    const analysis = analysed.get(specifier);
    await (analysis ? Promise.race([analysis, built]) : built);
    return { id: `${DEPS_PREFIX}${depFileStem(specifier)}.js`, built };
  }

  function scheduleBuild(): void {
    if (closed || building || analysing > 0 || queue.size === 0) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (closed || building || analysing > 0 || queue.size === 0) return;
      building = runBuild()
        .catch((error: unknown) => logger.error(`deps: pre-bundling crashed: ${String(error)}`))
        .finally(() => {
          building = null;
          scheduleBuild();
        });
    }, BATCH_QUIET_MS);
  }

  async function runBuild(): Promise<void> {
    const batch = [...queue.values()];
    queue.clear();
    const all = new Map(committed);
    for (const record of batch) all.set(record.specifier, record);
    const added = batch.map((record) => record.specifier).sort();
    logger.info(`pre-bundling dependencies: ${formatList(added)}`);
    const started = performance.now();
    const inputs = [...all.values()].map((record) => ({
      specifier: record.specifier,
      stem: record.stem,
      resolveDir: record.resolveDir,
      code: entryCode(record.specifier, record.analysis),
    }));
    const result = await bundleDeps(inputs, { root, outdir: path.join(cacheDir, 'deps'), define });
    if (closed) return;
    if (!result.ok) {
      const { culprits, innocent } = splitCulprits(batch, result.errors);
      for (const record of culprits) settle(record.specifier, failureToError(record, result.errors, root));
      for (const record of innocent) queue.set(record.specifier, record); // retried without the culprits
      logger.error(`pre-bundling failed: ${result.errors[0]?.text ?? 'unknown error'}`);
      return;
    }
    for (const note of result.externalized) logger.warn(`deps: Node built-in ${note} was replaced by an empty module`);
    for (const [specifier, record] of all) all.set(specifier, { ...record, exports: result.exports.get(specifier) ?? [] });
    configHash = await computeConfigHash(hashInput);
    const changedServed = commit(all, toOutputFiles(result.files));
    logger.info(`pre-bundled ${all.size} dependencies in ${Math.round(performance.now() - started)} ms`);
    for (const record of batch) settle(record.specifier, toInfo(committed.get(record.specifier) as DepRecord));
    if (changedServed.length > 0) {
      served.clear();
      const noun = added.length === 1 ? 'dependency' : 'dependencies';
      const reason = `new ${noun} ${formatList(added)} changed pre-bundled files the page already loaded`;
      logger.info(`deps: ${reason}; reloading`);
      for (const listener of listeners) listener(reason);
    }
    const files = [...outputs.keys()].sort();
    const metadata = { format: CACHE_FORMAT, configHash, hash: persistedHash, deps: [...committed.values()], files };
    try {
      await writeDepCache(cacheDir, metadata, result.files);
    } catch (error) {
      logger.warn(`deps: could not write the cache in ${cacheDir}: ${String(error)}`);
    }
  }

  /** Makes a successful build current; returns the served files it changed. */
  function commit(all: Map<string, DepRecord>, next: Map<string, OutputFile>): string[] {
    const { changed, changedServed } = compareBuilds(outputs, next, served);
    const specifiers = [...all.keys()].sort();
    const fresh = versionHash(configHash, specifiers, next);
    if (!hash || changedServed.length > 0) hash = fresh;
    // The next session starts from disk with a new version if anything changed, so a browser
    // cache filled before this rebuild never supplies the old content there.
    if (!persistedHash || changed.length > 0) persistedHash = fresh;
    committed = new Map(specifiers.map((specifier) => [specifier, all.get(specifier) as DepRecord]));
    outputs = next;
    return changedServed;
  }

  function settle(specifier: string, outcome: DepInfo | DevServerError): void {
    const deferred = waiting.get(specifier);
    waiting.delete(specifier);
    if (!deferred) return;
    if (outcome instanceof DevServerError) deferred.reject(outcome);
    else deferred.resolve(outcome);
  }

  async function load(urlPath: string): Promise<{ code: string; etag: string } | null> {
    await ready;
    const clean = urlPath.split(/[?#]/, 1)[0] ?? '';
    if (!clean.startsWith(DEPS_PREFIX)) return null;
    let name: string;
    try {
      name = decodeURIComponent(clean.slice(DEPS_PREFIX.length));
    } catch {
      return null;
    }
    const file = outputs.get(name); // a lookup by exact name: no path is ever built from the URL
    if (!file) return null;
    served.add(name);
    return { code: file.code, etag: file.etag };
  }

  async function close(): Promise<void> {
    closed = true;
    if (timer) clearTimeout(timer);
    timer = null;
    await building;
    for (const specifier of [...waiting.keys()]) settle(specifier, closedError());
    queue.clear();
    listeners.length = 0;
  }

  return { resolve, prepare, load, onInvalidated: (listener) => void listeners.push(listener), close };
}

function createDeferred(): Deferred {
  let resolve!: (info: DepInfo) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<DepInfo>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined); // callers observe it; this only avoids unhandled-rejection noise
  return { promise, resolve, reject };
}

function closedError(): DevServerError {
  return new DevServerError('ERR_DEP_OPTIMIZE', 'The dependency optimizer is closed.', {
    hint: 'The server is shutting down or restarting; the request can be retried.',
  });
}

/**
 * The backend as the dev server sees it (`backend` in the config, `--backend` on the
 * command line): a Node server built from its entry with esbuild, run as a child process on
 * a port devserver holds open, rebuilt and swapped for a new process on every change of its
 * files without a dropped request, and proxied under `/api`. Pieces: sharedSocket (the
 * port), backendBuilder (esbuild), backendSupervisor (which process serves), backendProcess
 * (one child), backendBootstrap (inside each child), backendReporter (terminal, overlay,
 * `devserver:backend-restarted`), changeRouter (which changes are the backend's).
 * Lifecycle: createBackend (binds the port, starts the first build in the background),
 * routeChanges / rebuild, close.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerMessage } from '../../shared/protocol.js';
import type { BackendOptions, ProxyOptions } from '../config/types.js';
import type { HotChannel } from '../hmr/hotChannel.js';
import { errnoCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { FileChange } from '../watch/changeCoalescer.js';
import { buildBootstrap, createBackendBuilder } from './backendBuilder.js';
import { DEFAULT_TIMING, resolveBackendOptions, type BackendTiming } from './backendOptions.js';
import { startBackendProcess } from './backendProcess.js';
import { createBackendReporter } from './backendReporter.js';
import { createSupervisor, type DeployCause, type DeployOutcome } from './backendSupervisor.js';
import { createBackoff } from './backoff.js';
import { splitChanges } from './changeRouter.js';
import { createSharedSocket } from './sharedSocket.js';

export interface CreateBackendOptions {
  backend: string | BackendOptions;
  root: string;
  cacheDir: string;
  logger: Logger;
  hot: Pick<HotChannel, 'broadcast' | 'send' | 'seq'>;
  /** Asks the watcher to also watch these files (backend inputs outside the root). */
  watch(files: string[]): void;
  /** Shorter timings for tests. */
  timing?: Partial<BackendTiming>;
}

export interface Backend {
  /** Where the backend answers, e.g. `http://127.0.0.1:41234` (the port never changes). */
  readonly url: string;
  /** Rules for `server.proxy`: each prefix to the backend, websockets included. */
  readonly proxyRules: Record<string, ProxyOptions>;
  /** Settles when the first build and start are done (served or failed). */
  readonly started: Promise<DeployOutcome>;
  /** Generation of the process serving now (1, 2, …), null when none does. */
  readonly generation: number | null;
  /**
   * Takes the backend's share of a change set (and rebuilds when it has one); returns the
   * changes for the frontend.
   */
  routeChanges(changes: FileChange[], isFrontendFile: (file: string) => boolean): FileChange[];
  /** Rebuilds and swaps processes now; resolves when the new one serves, or failed. */
  rebuild(): Promise<DeployOutcome>;
  /** The backend's open error, for a tab that connects now. */
  openErrors(): ServerMessage[];
  close(): Promise<void>;
}

/**
 * @example
 * const backend = await createBackend({ backend: 'server/index.ts', root, cacheDir, logger, hot, watch });
 * await backend.started;
 * await fetch(`${backend.url}/api/hello`);
 * await backend.close();
 */
export async function createBackend(options: CreateBackendOptions): Promise<Backend> {
  const { root, logger } = options;
  const resolved = resolveBackendOptions(options.backend, root);
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  await removeStaleOutDirs(path.join(options.cacheDir, 'backend'));
  const outDir = path.join(options.cacheDir, 'backend', `${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  const shared = createSharedSocket({ host: resolved.host, port: resolved.port, holdTimeoutMs: timing.holdTimeoutMs });
  // Port 0 binds at once; a fixed port may still be held by the instance a restart replaces.
  const listening = shared.listen();
  const port = resolved.port === 0 ? await listening : resolved.port;
  const url = `http://${resolved.host}:${port}`;
  const builder = createBackendBuilder({ entry: resolved.entry, root, outDir });
  const reporter = createBackendReporter({ logger, hot: options.hot, root, entry: resolved.entry, outDir });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, { NODE_ENV: process.env.NODE_ENV ?? 'development' }, resolved.env, { PORT: String(port) });

  let bootstrap: Promise<string> | null = null;
  const supervisor = createSupervisor({
    shared,
    spawn: (file, generation) =>
      startBackendProcess({ generation, file, bootstrap: bootstrapFile!, cwd: root, env, args: resolved.args, shared: shared.server, logger, readyTimeoutMs: timing.readyTimeoutMs }),
    backoff: createBackoff({ initialMs: timing.backoffInitialMs, maxMs: timing.backoffMaxMs }),
    events: reporter,
    logger,
    stableMs: timing.stableMs,
    drain: { idleGraceMs: timing.idleGraceMs, timeoutMs: timing.drainTimeoutMs },
  });
  let bootstrapFile: string | null = null;
  let lastBuildOk = false;
  let closed = false;
  let ticket = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const watched = new Set<string>();

  /** Builds (one at a time; a build overtaken while it waited is skipped), then deploys. */
  function rebuild(cause: DeployCause, startedAt = performance.now()): Promise<DeployOutcome> {
    const mine = ++ticket;
    const step = chain.then(async (): Promise<{ deployed: Promise<DeployOutcome> }> => {
      if (mine !== ticket || closed) return { deployed: Promise.resolve('superseded') };
      bootstrapFile ??= await (bootstrap ??= buildBootstrap(outDir));
      const built = await builder.build();
      lastBuildOk = built.ok;
      if (!built.ok) {
        if (!closed) reporter.buildFailed(built.error, supervisor.active !== null);
        if (!supervisor.active) shared.refuse('its build failed (see the terminal)');
        return { deployed: Promise.resolve('failed') };
      }
      logger.debug(`backend built in ${built.ms.toFixed(0)} ms`);
      watchOutsideRoot();
      const deployed = supervisor.deploy(built.file, cause, startedAt);
      void deployed.then(() => builder.prune([...supervisor.files(), built.file]));
      return { deployed };
    });
    chain = step.catch(() => undefined);
    // The chain waits for builds only: the next build runs while this process starts.
    return step.then((s) => s.deployed);
  }

  function watchOutsideRoot(): void {
    const outside = [...builder.inputs].filter((file) => !watched.has(file) && path.relative(root, file).startsWith('..'));
    for (const file of outside) watched.add(file);
    if (outside.length) options.watch(outside);
  }

  const started = listening.then(
    () => rebuild('start'),
    (error: unknown) => {
      reporter.problem(error);
      return 'failed' as const;
    },
  );

  return {
    url,
    proxyRules: Object.fromEntries(resolved.proxy.map((prefix) => [prefix, { target: url, ws: true }])),
    started,
    get generation() {
      return supervisor.active?.generation ?? null;
    },
    routeChanges(changes, isFrontendFile) {
      if (closed) return changes;
      const { frontend, backend } = splitChanges(changes, {
        isBackendFile: (file) => builder.inputs.has(file),
        isFrontendFile,
        backendUnsure: !lastBuildOk,
      });
      if (backend.length) {
        const list = backend.map((c) => path.relative(root, c.file)).join(', ');
        logger.info(`backend: ${list} changed, rebuilding`);
        void rebuild('change', Math.min(...backend.map((c) => c.firstEventAt)));
      }
      return frontend;
    },
    rebuild: () => rebuild('change'),
    openErrors: () => reporter.openErrors(),
    async close() {
      closed = true;
      await chain;
      await supervisor.close();
      await Promise.allSettled([shared.close(), builder.dispose()]);
      await fs.rm(outDir, { recursive: true, force: true });
    },
  };
}

/** Build folders (`<pid>-<random>`) of devserver processes that are gone (killed before close()). */
async function removeStaleOutDirs(parent: string): Promise<void> {
  const entries = await fs.readdir(parent).catch(() => [] as string[]);
  for (const name of entries) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!pid || isAlive(pid)) continue;
    await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

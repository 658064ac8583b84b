/**
 * Decides which backend process serves. A deploy starts a new process beside the one that
 * serves; only when the new one is accepting on the shared socket is the old one told to
 * stop (it finishes what it has and exits), so there is no moment without a process
 * accepting. A new process that fails to start is killed and the old one keeps serving.
 * Deploys run one at a time, and a deploy that a newer one overtook while it waited is
 * skipped. A process that exits by itself is a crash: reported, and restarted (same code)
 * after a backoff, which resets once a process has been up for `stableMs`. Meanwhile
 * connections wait in the shared socket, or get a 503 when no process is coming soon.
 * Processes are made by the injected `spawn`, so this logic is tested with fakes.
 */
import type { Logger } from '../logger.js';
import type { Backoff } from './backoff.js';
import { describeExit, StartFailure, type BackendProcess } from './backendProcess.js';
import type { SharedSocket } from './sharedSocket.js';

export type DeployCause = 'start' | 'change' | 'crash';
export type DeployOutcome = 'ready' | 'failed' | 'superseded';

export interface FailureInfo {
  /** What happened, e.g. `exited (exit code 1) before it was listening`. */
  what: string;
  stderr: string[];
}

export interface SupervisorEvents {
  restarted(info: { generation: number; ms: number; cause: DeployCause }): void;
  /** A new process did not start; `serving`: an older one still serves. */
  startFailed(failure: FailureInfo, serving: boolean): void;
  crashed(failure: FailureInfo, restartInMs: number): void;
}

export interface SupervisorOptions {
  shared: Pick<SharedSocket, 'route' | 'hold' | 'refuse' | 'accept'>;
  spawn(file: string, generation: number): BackendProcess;
  backoff: Backoff;
  events: SupervisorEvents;
  logger: Logger;
  /** A process up this long resets the backoff. */
  stableMs: number;
  drain: { idleGraceMs: number; timeoutMs: number };
  /** Restarts due within this long make connections wait instead of getting a 503. */
  holdLimitMs?: number;
}

export interface Supervisor {
  /** Starts `file` and swaps it in; resolves when it serves, failed, or was overtaken. */
  deploy(file: string, cause: DeployCause, startedAt?: number): Promise<DeployOutcome>;
  /** The process serving now. */
  readonly active: BackendProcess | null;
  /** Built files that live or starting processes run (not to be deleted). */
  files(): string[];
  close(): Promise<void>;
}

export function createSupervisor(options: SupervisorOptions): Supervisor {
  const { shared, events, backoff, logger } = options;
  const holdLimitMs = options.holdLimitMs ?? 1000;
  let active: BackendProcess | null = null;
  const all = new Set<BackendProcess>();
  let generations = 0;
  let latest = 0;
  let queue: Promise<unknown> = Promise.resolve();
  /** Deploys asked for and not settled yet. */
  let pending = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let stableTimer: NodeJS.Timeout | null = null;
  let closed = false;

  function spawn(file: string): BackendProcess {
    const proc = options.spawn(file, ++generations);
    all.add(proc);
    void proc.exited.then(() => all.delete(proc));
    return proc;
  }

  function deploy(file: string, cause: DeployCause, startedAt = performance.now()): Promise<DeployOutcome> {
    const ticket = ++latest;
    pending++;
    const run = queue.then(() => (ticket !== latest || closed ? 'superseded' : runDeploy(file, cause, startedAt)));
    queue = run.catch(() => undefined).finally(() => pending--);
    return run;
  }

  async function runDeploy(file: string, cause: DeployCause, startedAt: number): Promise<DeployOutcome> {
    clearRestart();
    const proc = spawn(file);
    if (!active) shared.hold();
    try {
      await proc.ready;
    } catch (error) {
      void proc.kill();
      await proc.exited;
      if (closed) return 'failed';
      const failure = { what: error instanceof StartFailure ? error.message : String(error), stderr: proc.stderrTail() };
      if (active) events.startFailed(failure, true);
      else if (cause === 'crash') crashed(file, failure);
      else {
        events.startFailed(failure, false);
        shared.refuse(`it did not start: ${failure.what}`);
      }
      return 'failed';
    }
    if (closed) {
      void proc.kill();
      return 'failed';
    }
    const previous = active;
    active = proc;
    clearRestart();
    shared.route((socket) => proc.forward(socket, (s) => shared.accept(s)));
    void proc.exited.then((exit) => {
      if (active !== proc || closed) return;
      active = null;
      crashed(proc.file, { what: `exited (${describeExit(exit)})`, stderr: proc.stderrTail() });
    });
    if (previous) void previous.stop(options.drain);
    watchStable(proc);
    events.restarted({ generation: proc.generation, ms: Math.round(performance.now() - startedAt), cause });
    return 'ready';
  }

  function crashed(file: string, failure: FailureInfo): void {
    if (stableTimer) clearTimeout(stableTimer);
    const delay = backoff.next();
    events.crashed(failure, delay);
    if (delay <= holdLimitMs) shared.hold();
    else shared.refuse(`it crashed (${failure.what}); restarting in ${delay} ms`);
    const crashedAt = performance.now();
    clearRestart();
    restartTimer = setTimeout(() => {
      restartTimer = null;
      // A deploy on its way brings a process with newer code: do not overtake it with the old.
      if (pending > 0) return;
      logger.debug(`restarting the backend after a crash (attempt ${backoff.attempts})`);
      void deploy(file, 'crash', crashedAt);
    }, delay);
  }

  function watchStable(proc: BackendProcess): void {
    if (stableTimer) clearTimeout(stableTimer);
    stableTimer = setTimeout(() => {
      if (active === proc) backoff.reset();
    }, options.stableMs);
    stableTimer.unref();
  }

  function clearRestart(): void {
    if (restartTimer) clearTimeout(restartTimer);
    restartTimer = null;
  }

  return {
    deploy,
    get active() {
      return active;
    },
    files() {
      return [...all].filter((p) => p.state === 'starting' || p.state === 'ready').map((p) => p.file);
    },
    async close() {
      closed = true;
      clearRestart();
      if (stableTimer) clearTimeout(stableTimer);
      active = null;
      await Promise.all([...all].map((proc) => proc.kill()));
    },
  };
}

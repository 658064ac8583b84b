/**
 * Tells the person what the backend is doing, in the terminal and in every tab: a failed
 * build, a process that did not start or crashed (one overlay error, replaced by the next
 * and cleared when a process serves again), and each process that starts serving (a log
 * line and the `devserver:backend-restarted` event, so a page can refetch its data).
 */
import type { ErrorPayload, ServerMessage } from '../../shared/protocol.js';
import { DevServerError, isDevServerError, toErrorPayload } from '../errors.js';
import { formatErrorForTerminal } from '../formatError.js';
import type { HotChannel } from '../hmr/hotChannel.js';
import type { Logger } from '../logger.js';
import { backendBuildError, backendCrashError, backendStartError, type ProcessFailure } from './backendErrors.js';
import type { DeployCause, FailureInfo } from './backendSupervisor.js';

/** The overlay key of the backend's error (one at a time). */
export const BACKEND_ERROR_ID = '/@devserver/backend';
/** The custom event tabs get when a new backend process serves. */
export const BACKEND_RESTARTED_EVENT = 'devserver:backend-restarted';

export interface BackendRestartedEvent {
  /** Generation of the process that serves now (1 for the first). */
  generation: number;
  /** From the change (or crash) to the new process accepting, in ms. */
  ms: number;
  cause: DeployCause;
}

export interface BackendReporter {
  /** Any other failure (the port could not be bound). */
  problem(error: unknown): void;
  buildFailed(error: unknown, serving: boolean): void;
  startFailed(failure: FailureInfo, serving: boolean): void;
  crashed(failure: FailureInfo, restartInMs: number): void;
  restarted(info: BackendRestartedEvent): void;
  /** The open error, for a tab that connects now. */
  openErrors(): ServerMessage[];
}

export interface BackendReporterOptions {
  logger: Logger;
  hot: Pick<HotChannel, 'broadcast' | 'send' | 'seq'>;
  root: string;
  entry: string;
  outDir: string;
}

export function createBackendReporter(options: BackendReporterOptions): BackendReporter {
  const { logger, hot } = options;
  let current: ErrorPayload | null = null;

  function show(error: DevServerError, stderr: string[] = []): void {
    const payload: ErrorPayload = { ...toErrorPayload(error), id: BACKEND_ERROR_ID };
    if (stderr.length) payload.stack = stderr.join('\n');
    const same = current?.message === payload.message && current.file === payload.file && current.loc?.line === payload.loc?.line && current.loc?.column === payload.loc?.column;
    if (same) return;
    current = payload;
    logger.error(formatErrorForTerminal(payload));
    hot.broadcast({ type: 'error', error: payload });
  }

  const failureOf = (failure: FailureInfo): ProcessFailure => ({ ...failure, entry: options.entry, root: options.root, outDir: options.outDir });

  return {
    problem(error) {
      show(isDevServerError(error) ? error : new DevServerError('ERR_BACKEND_START', `backend: ${error instanceof Error ? error.message : String(error)}`));
    },
    buildFailed(error, serving) {
      show(backendBuildError(error, options.root, serving));
    },
    startFailed(failure, serving) {
      show(backendStartError(failureOf(failure), serving), failure.stderr);
    },
    crashed(failure, restartInMs) {
      // Each crash is news (the restart delay grows): always say it, even if the text repeats.
      current = null;
      show(backendCrashError(failureOf(failure), restartInMs), failure.stderr);
    },
    restarted(info) {
      if (current) hot.broadcast({ type: 'error-cleared', id: BACKEND_ERROR_ID });
      current = null;
      const what = info.cause === 'start' ? 'started' : info.cause === 'crash' ? 'restarted after the crash' : 'restarted';
      logger.info(`backend ${what} in ${info.ms} ms (process #${info.generation})`);
      hot.send(BACKEND_RESTARTED_EVENT, info);
    },
    openErrors() {
      return current ? [{ type: 'error', seq: hot.seq, error: current }] : [];
    },
  };
}

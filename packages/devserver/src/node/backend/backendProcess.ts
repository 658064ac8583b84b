/**
 * One backend process (one generation): forked with the bootstrap preloaded, its output
 * passed to the terminal line by line with a `[backend]` prefix, and its life as two
 * promises: `ready` (the app is accepting on the shared socket) and `exited`. It answers the
 * bootstrap's request for the shared socket, forwards connections devserver accepted, and
 * stops politely (drain, then exit) or not (SIGTERM, then SIGKILL). It decides nothing:
 * when to start, swap or restart is backendSupervisor.ts's job.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type net from 'node:net';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import pc from 'picocolors';
import type { Logger } from '../logger.js';
import { BACKEND_ENV, isChildMessage, type ChildMessage, type ParentMessage } from './ipcProtocol.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BackendProcessOptions {
  generation: number;
  /** The built backend bundle to run. */
  file: string;
  /** The built bootstrap, preloaded with `--import`. */
  bootstrap: string;
  cwd: string;
  env: Record<string, string>;
  args: string[];
  /** The listening socket devserver owns (sent to the process when it calls listen()). */
  shared: net.Server;
  logger: Logger;
  /** How long the app may take to call listen() and be accepting. */
  readyTimeoutMs: number;
}

/** Why a process never became ready (it exited, could not listen, or took too long). */
export class StartFailure extends Error {
  constructor(
    message: string,
    readonly exit: ExitInfo | null,
  ) {
    super(message);
    this.name = 'StartFailure';
  }
}

export interface BackendProcess {
  readonly generation: number;
  readonly file: string;
  readonly pid: number | undefined;
  readonly state: 'starting' | 'ready' | 'stopping' | 'exited';
  /** Resolves when accepting on the shared socket; rejects with a StartFailure. */
  readonly ready: Promise<void>;
  readonly exited: Promise<ExitInfo>;
  /** Hands over a connection devserver accepted; false when the process cannot take it. */
  forward(socket: net.Socket, onFailed: (socket: net.Socket) => void): boolean;
  /** Stop accepting, finish in-flight requests, exit (killed if it takes too long). */
  stop(options: { idleGraceMs: number; timeoutMs: number }): Promise<ExitInfo>;
  kill(): Promise<ExitInfo>;
  /** The last lines the process wrote to stderr (for error reports). */
  stderrTail(): string[];
}

const TAIL_LINES = 40;

/** `exit code 1`, `signal SIGKILL`. */
export function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
}

export function startBackendProcess(options: BackendProcessOptions): BackendProcess {
  const { logger, generation } = options;
  const tail: string[] = [];
  let state: BackendProcess['state'] = 'starting';
  const child: ChildProcess = fork(options.file, options.args, {
    cwd: options.cwd,
    env: { ...options.env, [BACKEND_ENV]: String(generation) },
    execArgv: ['--enable-source-maps', '--import', pathToFileURL(options.bootstrap).href],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });

  const prefix = pc.dim('[backend]');
  readline.createInterface({ input: child.stdout! }).on('line', (line) => logger.info(`${prefix} ${line}`));
  const stderr = readline.createInterface({ input: child.stderr! });
  stderr.on('line', (line) => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    logger.error(`${prefix} ${line}`);
  });
  const stderrClosed = new Promise<void>((resolve) => stderr.once('close', resolve));

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      // The last lines (the error that killed it) may still be in the pipe: wait for its
      // end, but not for long (a grandchild process can keep it open).
      const timer = setTimeout(() => resolve({ code, signal }), 500);
      void stderrClosed.then(() => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });
    child.once('error', (error) => {
      // Spawning failed (no exit event follows when there is no pid).
      tail.push(error.message);
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
  });
  void exited.then(() => {
    state = 'exited';
  });

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new StartFailure(`did not listen within ${Math.round(options.readyTimeoutMs / 1000)} s (does it call server.listen()?)`, null));
    }, options.readyTimeoutMs);
    const settle = () => clearTimeout(timer);
    void exited.then((exit) => {
      settle();
      reject(new StartFailure(`exited (${describeExit(exit)}) before it was listening`, exit));
    });
    child.on('message', (message: unknown) => {
      if (!isChildMessage(message)) return;
      onMessage(message, () => {
        settle();
        if (state === 'starting') state = 'ready';
        resolve();
      }, (reason) => {
        settle();
        reject(new StartFailure(reason, null));
      });
    });
  });
  ready.catch(() => undefined);

  function onMessage(message: ChildMessage, onReady: () => void, onFailed: (reason: string) => void): void {
    if (message.type === 'devserver:listen') {
      logger.debug(`backend #${generation} called listen (${message.requested}): given the shared socket`);
      send({ type: 'devserver:handle' }, options.shared);
    } else if (message.type === 'devserver:ready') {
      onReady();
    } else {
      onFailed(`could not listen on the shared socket: ${message.message}`);
    }
  }

  /** False when the channel is gone. (child.send's own `false` only means "queued".) */
  function send(message: ParentMessage, handle?: net.Server | net.Socket, callback?: (error: Error | null) => void): boolean {
    if (!child.connected) return false;
    child.send(message, handle, {}, callback ?? (() => undefined));
    return true;
  }

  function forceKill(afterMs: number): void {
    const timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
    void exited.then(() => clearTimeout(timer));
  }

  return {
    generation,
    file: options.file,
    pid: child.pid,
    get state() {
      return state;
    },
    ready,
    exited,
    forward(socket, onFailed) {
      if (state === 'exited' || !child.connected) return false;
      send({ type: 'devserver:connection' }, socket, (error) => {
        if (error && !socket.destroyed) onFailed(socket);
      });
      return true;
    },
    stop({ idleGraceMs, timeoutMs }) {
      if (state === 'exited') return exited;
      state = 'stopping';
      if (!send({ type: 'devserver:stop', idleGraceMs, timeoutMs })) child.kill('SIGTERM');
      forceKill(timeoutMs + 3000);
      return exited;
    },
    kill() {
      if (state === 'exited') return exited;
      state = 'stopping';
      child.kill('SIGTERM');
      forceKill(2000);
      return exited;
    },
    stderrTail: () => [...tail],
  };
}

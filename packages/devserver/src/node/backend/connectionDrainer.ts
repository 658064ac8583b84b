/**
 * Stops an HTTP server's connections without failing a request (runs in the backend
 * process, bundled into the bootstrap). `http.Server.close()` is not enough: since Node 19
 * it closes idle keep-alive connections at once, and "idle" includes a connection whose
 * next request is already on the wire, or one just accepted whose request is not read yet;
 * the client then gets ECONNRESET or "socket hang up" (the keep-alive race). So, once
 * draining:
 *  - every request still to be answered, and every new one on an open connection, is
 *    answered with `Connection: close`, so Node closes the connection after that response
 *    and the client opens its next one on the new process;
 *  - a connection idle for the grace period (since its last response, or since it was
 *    accepted) is closed, and only after a `setImmediate`, so a request that arrived while
 *    the timer was due is read first (timers run before the poll phase, check callbacks
 *    after it). The grace is the app server's own `keepAliveTimeout` (Node's default 5 s)
 *    when it has one: closing an idle keep-alive connection always races with a client that
 *    is just sending on it, and this way the drain never closes one sooner than the app
 *    itself would have;
 *  - upgraded sockets (websockets) never answer again: they count as idle and are closed.
 * The caller stops accepting (closes the listening handle) and exits when this resolves.
 */
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server, Socket } from 'node:net';

export interface DrainOptions {
  /** How long a connection must be idle before it is closed, unless the server says longer. */
  idleGraceMs: number;
  /** Gives up waiting after this long (a stuck request must not keep the process alive). */
  timeoutMs: number;
}

export interface ConnectionDrainer {
  /** Resolves once every connection is closed, or when `timeoutMs` has passed. */
  drain(options: DrainOptions): Promise<'drained' | 'timeout'>;
  /** Connections open now (for tests and the log). */
  readonly size: number;
}

interface ConnectionState {
  inFlight: number;
  /** When the last response finished, or when the connection was accepted. */
  idleSince: number;
  timer: NodeJS.Timeout | null;
  /** Responses being written on this connection, to mark them `Connection: close`. */
  responses: Set<ServerResponse>;
}

/**
 * Starts tracking `server`'s connections (call it before the server accepts any).
 * @example
 * const drainer = trackConnections(server);
 * net.Server.prototype.close.call(server); // stop accepting, keep connections
 * await drainer.drain({ idleGraceMs: 1000, timeoutMs: 10_000 });
 */
export function trackConnections(server: Server): ConnectionDrainer {
  const connections = new Map<Socket, ConnectionState>();
  let options: DrainOptions | null = null;
  let finish: ((outcome: 'drained' | 'timeout') => void) | null = null;

  function stateOf(socket: Socket): ConnectionState {
    let state = connections.get(socket);
    if (!state) {
      state = { inFlight: 0, idleSince: performance.now(), timer: null, responses: new Set() };
      connections.set(socket, state);
      socket.once('close', () => {
        if (state!.timer) clearTimeout(state!.timer);
        connections.delete(socket);
        checkDone();
      });
      if (options) scheduleIdleClose(socket, state);
    }
    return state;
  }

  function scheduleIdleClose(socket: Socket, state: ConnectionState): void {
    if (!options || state.inFlight > 0) return;
    if (state.timer) clearTimeout(state.timer);
    const wait = Math.max(0, state.idleSince + options.idleGraceMs - performance.now());
    state.timer = setTimeout(() => {
      state.timer = null;
      // After the poll phase: a request that came in meanwhile is counted before we decide.
      setImmediate(() => {
        if (state.inFlight === 0 && connections.has(socket)) socket.destroy();
      });
    }, wait);
  }

  function checkDone(): void {
    if (finish && connections.size === 0) finish('drained');
  }

  server.on('connection', (socket: Socket) => void stateOf(socket));
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const state = stateOf(socket);
    state.inFlight++;
    state.responses.add(res);
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    if (options && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      state.inFlight--;
      state.responses.delete(res);
      state.idleSince = performance.now();
      if (options) scheduleIdleClose(socket, state);
    });
  });

  return {
    get size() {
      return connections.size;
    },
    drain(drainOptions) {
      const keepAlive = (server as Partial<HttpServer>).keepAliveTimeout;
      const idleGraceMs = Math.min(drainOptions.timeoutMs, Math.max(drainOptions.idleGraceMs, typeof keepAlive === 'number' ? keepAlive : 0));
      options = { ...drainOptions, idleGraceMs };
      return new Promise((resolve) => {
        const deadline = setTimeout(() => done('timeout'), drainOptions.timeoutMs);
        const done = (outcome: 'drained' | 'timeout') => {
          finish = null;
          clearTimeout(deadline);
          resolve(outcome);
        };
        finish = done;
        for (const [socket, state] of connections) {
          for (const res of state.responses) if (!res.headersSent) res.setHeader('Connection', 'close');
          scheduleIdleClose(socket, state);
        }
        checkDone();
      });
    },
  };
}

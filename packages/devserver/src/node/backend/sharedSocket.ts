/**
 * The backend's listening socket, owned by devserver so that it stays open across backend
 * restarts. Each backend process gets this server as an IPC handle and accepts on it too
 * (backendBootstrap.ts); the kernel keeps queued connections on the socket, not on a
 * process, so a process that stops accepting loses none of them.
 *
 * devserver's own event loop also accepts from the socket (Node has no public way to hold
 * a listening socket without accepting), so what it accepts it passes on, paused and
 * unread, to the process that serves now. When none does:
 *  - `hold()` (a process is starting or restarting soon): connections wait in a bounded
 *    queue and go to the next process that is ready;
 *  - `refuse(message)` (nothing will start until the next save): they get a 503 naming the
 *    error, instead of a hang or a reset.
 */
import http from 'node:http';
import net from 'node:net';
import { DevServerError, errnoCode } from '../errors.js';

/** Where accepted connections go; `false` means the handover failed (the process is gone). */
export type ConnectionSink = (socket: net.Socket) => boolean;

export interface SharedSocket {
  /** The listening server, sent as the IPC handle to each backend process. */
  readonly server: net.Server;
  readonly port: number;
  /** Binds 127.0.0.1:port (0: a free one); a taken port is retried until `retryMs` passes. */
  listen(): Promise<number>;
  /** Routes a connection as if it had just been accepted (a handover that failed). */
  accept(socket: net.Socket): void;
  /** Connections accepted here go to `sink` from now on (the queue first). */
  route(sink: ConnectionSink): void;
  hold(): void;
  refuse(message: string): void;
  close(): Promise<void>;
}

export interface SharedSocketOptions {
  host: string;
  port: number;
  /** How long a held connection waits for a process before it gets a 503. */
  holdTimeoutMs?: number;
  maxHeld?: number;
  retryMs?: number;
}

interface Held {
  socket: net.Socket;
  timer: NodeJS.Timeout;
}

export function createSharedSocket(options: SharedSocketOptions): SharedSocket {
  const holdTimeoutMs = options.holdTimeoutMs ?? 30_000;
  const maxHeld = options.maxHeld ?? 512;
  const server = net.createServer({ pauseOnConnect: true });
  let mode: { kind: 'route'; sink: ConnectionSink } | { kind: 'hold' } | { kind: 'refuse'; message: string } = { kind: 'hold' };
  const held: Held[] = [];
  let port = 0;

  // Answers refused connections as HTTP (reading the request first, so the client sees a
  // response, not a reset). It never listens: sockets are given to it.
  const unavailable = http.createServer((req, res) => {
    const message = mode.kind === 'refuse' ? mode.message : 'the backend did not start in time';
    const body = `devserver: the backend is not running: ${message}\n`;
    res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  });

  function answer503(socket: net.Socket): void {
    unavailable.emit('connection', socket);
    socket.resume();
  }

  function dispatch(socket: net.Socket): void {
    if (mode.kind === 'route' && mode.sink(socket)) return;
    if (mode.kind === 'refuse' || held.length >= maxHeld) return answer503(socket);
    const entry: Held = {
      socket,
      timer: setTimeout(() => {
        const i = held.indexOf(entry);
        if (i >= 0) held.splice(i, 1);
        answer503(socket);
      }, holdTimeoutMs),
    };
    held.push(entry);
  }

  function flush(): void {
    for (const entry of held.splice(0)) {
      clearTimeout(entry.timer);
      if (!entry.socket.destroyed) dispatch(entry.socket);
    }
  }

  server.on('connection', (socket: net.Socket) => {
    socket.on('error', () => socket.destroy());
    dispatch(socket);
  });

  return {
    server,
    get port() {
      return port;
    },
    async listen() {
      const started = performance.now();
      for (;;) {
        try {
          await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(options.port, options.host, () => {
              server.off('error', reject);
              resolve();
            });
          });
          break;
        } catch (error) {
          // A restart in place binds the new instance before the old one has let go.
          if (errnoCode(error) !== 'EADDRINUSE' || performance.now() - started > (options.retryMs ?? 5000)) {
            throw new DevServerError('ERR_PORT_IN_USE', `backend port ${options.host}:${options.port} is not available (${errnoCode(error) ?? String(error)})`, {
              hint: 'set backend.port to a free port, or leave it out to use any free port',
              cause: error,
            });
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      const address = server.address();
      port = typeof address === 'object' && address ? address.port : options.port;
      return port;
    },
    accept: dispatch,
    route(sink) {
      mode = { kind: 'route', sink };
      flush();
    },
    hold() {
      mode = { kind: 'hold' };
    },
    refuse(message) {
      mode = { kind: 'refuse', message };
      flush();
    },
    async close() {
      for (const entry of held.splice(0)) {
        clearTimeout(entry.timer);
        entry.socket.destroy();
      }
      unavailable.closeAllConnections();
      // Not waiting for 'close': once sockets were sent to a child process, Node counts them
      // through that child, and after the child exits the count never drains (the callback
      // never comes). close() releases the port at once anyway.
      if (server.listening) server.close();
    },
  };
}

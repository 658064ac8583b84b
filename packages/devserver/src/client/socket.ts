/**
 * The HMR websocket: connects with the per-server token and subprotocol, says `hello`
 * (build id, last sequence number applied, page) on every open so the server can replay
 * what this tab missed, buffers outgoing messages while closed, and reconnects with
 * backoff (100 ms doubling to 5 s) after a drop, reporting each outage once.
 */
import type { ClientMessage, ServerMessage } from '../shared/protocol.js';
import type { RuntimeConsole } from './types.js';

/** The part of `WebSocket` the client uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'message' | 'error', listener: (event: { data?: unknown }) => void): void;
}

export interface SocketOptions {
  readonly url: string;
  readonly protocol: string;
  create(url: string, protocol: string): WebSocketLike;
  hello(): ClientMessage;
  onMessage(msg: ServerMessage): void;
  onConnectionChange(connected: boolean, ws: WebSocketLike): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  readonly console: RuntimeConsole;
}

const OPEN = 1;
const FIRST_DELAY = 100;
const MAX_DELAY = 5000;
const MAX_BUFFERED = 256;

/** `ws(s)://host/path?token=...` for the page's location. */
export function socketUrl(location: { protocol: string; host: string }, wsPath: string, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const sep = wsPath.includes('?') ? '&' : '?';
  return `${scheme}://${location.host}${wsPath}${sep}token=${encodeURIComponent(token)}`;
}

function parse(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const msg = JSON.parse(data) as unknown;
    if (msg && typeof msg === 'object' && typeof (msg as { type?: unknown }).type === 'string') {
      return msg as ServerMessage;
    }
  } catch {
    // not JSON: ignored below
  }
  return null;
}

export function createSocket(options: SocketOptions) {
  let ws: WebSocketLike | undefined;
  let delay = FIRST_DELAY;
  let timer: unknown;
  let closed = false;
  let up = false;
  let lostReported = false;
  const buffer: string[] = [];

  const connect = () => {
    timer = undefined;
    const socket = options.create(options.url, options.protocol);
    ws = socket;
    socket.addEventListener('open', () => {
      delay = FIRST_DELAY;
      up = true;
      socket.send(JSON.stringify(options.hello()));
      for (const data of buffer.splice(0)) socket.send(data);
      if (lostReported) lostReported = false;
      options.onConnectionChange(true, socket);
    });
    socket.addEventListener('message', (event) => {
      const msg = parse(event.data);
      if (msg) options.onMessage(msg);
      else options.console.warn('[devserver] ignored a malformed message from the server');
    });
    socket.addEventListener('close', () => {
      if (ws !== socket) return;
      up = false;
      if (closed) return;
      if (!lostReported) {
        lostReported = true;
        options.onConnectionChange(false, socket);
      }
      timer = options.setTimer(connect, delay);
      delay = Math.min(delay * 2, MAX_DELAY);
    });
  };

  connect();

  return {
    /** Sends now if open, otherwise once the socket (re)opens. */
    send(msg: ClientMessage): void {
      const data = JSON.stringify(msg);
      if (up && ws?.readyState === OPEN) ws.send(data);
      else if (buffer.length < MAX_BUFFERED) buffer.push(data);
    },
    close(): void {
      closed = true;
      if (timer !== undefined) options.clearTimer(timer);
      ws?.close();
    },
  };
}

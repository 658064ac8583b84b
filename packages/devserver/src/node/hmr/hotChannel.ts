/**
 * The HMR websocket: one per server, on the HTTP server's own port at HMR_PATH. Every
 * upgrade is checked (token, subprotocol, Host, Origin) before the handshake completes.
 * Sequenced messages are kept in a ring so a tab that reconnects can be replayed what it
 * missed instead of reloading; custom events flow both ways for plugins (`server.hot`).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { HMR_PATH, HMR_SUBPROTOCOL, MAX_CLIENT_MESSAGE_BYTES } from '../../shared/constants.js';
import type { ClientMessage, ServerMessage } from '../../shared/protocol.js';
import type { Logger } from '../logger.js';
import { rejectUpgrade } from '../security/wsAuth.js';

type Sequenced = Extract<ServerMessage, { seq: number }> extends infer M ? M : never;
type WithoutSeq<M> = M extends { seq: number } ? Omit<M, 'seq'> : never;
export type BroadcastMessage = WithoutSeq<Exclude<ServerMessage, { type: 'connected' }>>;

export interface HotClient {
  /** Sends a custom event to this tab only. */
  send(event: string, data?: unknown): void;
  /** Page path the tab reported in its hello. */
  readonly page: string | null;
}

export type HotListener = (data: unknown, client: HotClient) => void;

export interface HotChannel {
  readonly clients: ReadonlySet<HotClient>;
  /** Sequence number of the last sequenced message. */
  readonly seq: number;
  /** Sends to every tab; update/full-reload/error messages get the next sequence number. */
  broadcast(message: BroadcastMessage): void;
  /** Custom event to every tab (`server.hot.send('my:event', data)`). */
  send(event: string, data?: unknown): void;
  on(event: string, listener: HotListener): void;
  off(event: string, listener: HotListener): void;
  /** Returns false when the upgrade is not for the HMR path (leave it to others). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
}

export interface HotChannelOptions {
  buildId: string;
  checkUpgrade: (req: IncomingMessage) => { ok: true } | { ok: false; status: 400 | 401 | 403; reason: string };
  logger: Logger;
  /** Messages a newly connected tab needs (errors still open). */
  onConnect?: (client: HotClient) => ServerMessage[];
  replaySize?: number;
  /** The app's base path: the socket also answers at `<base>@devserver/ws`. */
  base?: string;
  pingIntervalMs?: number;
}

interface ClientState extends HotClient {
  socket: WebSocket;
  alive: boolean;
  page: string | null;
}

export function createHotChannel(options: HotChannelOptions): HotChannel {
  const { logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, handleProtocols: (protocols) => (protocols.has(HMR_SUBPROTOCOL) ? HMR_SUBPROTOCOL : false) });
  const clients = new Set<ClientState>();
  const listeners = new Map<string, Set<HotListener>>();
  const replay: Sequenced[] = [];
  const replaySize = options.replaySize ?? 500;
  let seq = 0;
  const basedPath = (options.base ?? '/') + HMR_PATH.slice(1);

  function sendRaw(socket: WebSocket, message: ServerMessage): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }

  function emit(event: string, data: unknown, client: HotClient): void {
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(data, client);
      } catch (error) {
        logger.error(`hot listener for "${event}" threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  function onHello(client: ClientState, message: Extract<ClientMessage, { type: 'hello' }>): void {
    client.page = typeof message.page === 'string' ? message.page : null;
    // A tab of an earlier server reloads itself on `connected`; nothing to replay to it.
    if (message.buildId !== null && message.buildId !== options.buildId) return;
    const lastSeq = Number.isInteger(message.lastSeq) ? message.lastSeq : 0;
    if (message.buildId !== null && lastSeq < seq) {
      const missed = replay.filter((m) => m.seq > lastSeq);
      if (missed.length && missed[0].seq === lastSeq + 1) missed.forEach((m) => sendRaw(client.socket, m));
      else sendRaw(client.socket, { type: 'full-reload', seq, reason: 'the server no longer has the updates this tab missed' });
    }
    for (const m of options.onConnect?.(client) ?? []) sendRaw(client.socket, m);
  }

  // Tabs report what took each update; each distinct answer is printed once per update.
  const reported = new Set<string>();
  function onApplied(message: Extract<ClientMessage, { type: 'applied' }>): void {
    const boundaries = message.boundaries.filter((b) => typeof b === 'string').slice(0, 50).map((b) => b.replace(/^\//, ''));
    const key = `${message.seq}:${boundaries.join()}`;
    if (reported.has(key) || message.seq > seq) return;
    reported.add(key);
    if (reported.size > 1000) reported.clear();
    const ms = typeof message.ms === 'number' ? ` in ${message.ms} ms` : '';
    logger.info(`  accepted by ${boundaries.join(', ') || 'nothing'} (applied${ms} in the tab)`);
  }

  function onMessage(client: ClientState, raw: string): void {
    let message: ClientMessage;
    try {
      message = JSON.parse(raw) as ClientMessage;
    } catch {
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
    switch (message.type) {
      case 'hello':
        return onHello(client, message);
      case 'custom':
        if (typeof message.event === 'string') emit(message.event, message.data, client);
        return;
      case 'invalidate':
        if (typeof message.id === 'string') {
          logger.info(`hmr invalidate ${message.id}${typeof message.message === 'string' ? `: ${message.message}` : ''}`);
          emit('devserver:invalidate', { id: message.id, message: message.message }, client);
        }
        return;
      case 'applied':
        if (Number.isInteger(message.seq) && Array.isArray(message.boundaries)) onApplied(message);
        return;
      case 'log':
        if (typeof message.message === 'string') logger.info(message.message.slice(0, 2000));
        return;
    }
  }

  wss.on('connection', (socket: WebSocket) => {
    const client: ClientState = {
      socket,
      alive: true,
      page: null,
      send: (event, data) => sendRaw(socket, { type: 'custom', event, data }),
    };
    clients.add(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data, isBinary) => {
      if (!isBinary) onMessage(client, data.toString());
    });
    socket.on('error', () => socket.terminate());
    socket.on('close', () => clients.delete(client));
    sendRaw(socket, { type: 'connected', buildId: options.buildId, seq });
    emit('devserver:ws:connect', undefined, client);
  });

  // Keep-alive: tabs that stop answering pings are dropped, so dead sockets do not pile up.
  const ping = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }, options.pingIntervalMs ?? 30_000);
  ping.unref();

  return {
    clients,
    get seq() {
      return seq;
    },
    broadcast(message) {
      const sequenced = { ...message, seq: ++seq } as Sequenced;
      replay.push(sequenced);
      if (replay.length > replaySize) replay.shift();
      const text = JSON.stringify(sequenced);
      for (const client of clients) if (client.socket.readyState === client.socket.OPEN) client.socket.send(text);
    },
    send(event, data) {
      const text = JSON.stringify({ type: 'custom', event, data } satisfies ServerMessage);
      for (const client of clients) if (client.socket.readyState === client.socket.OPEN) client.socket.send(text);
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
    },
    off(event, listener) {
      listeners.get(event)?.delete(listener);
    },
    handleUpgrade(req, socket, head) {
      const pathname = (req.url ?? '').split('?')[0];
      if (pathname !== HMR_PATH && pathname !== basedPath) return false;
      const verdict = options.checkUpgrade(req);
      if (!verdict.ok) {
        logger.debug(`refused websocket upgrade: ${verdict.reason}`);
        rejectUpgrade(socket, verdict.status, verdict.reason);
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return true;
    },
    async close() {
      clearInterval(ping);
      for (const client of clients) client.socket.terminate();
      clients.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

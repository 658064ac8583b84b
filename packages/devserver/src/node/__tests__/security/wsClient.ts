/**
 * Websocket side of the security suite's harness: raw upgrade requests (every header
 * under the test's control, for the hijacking cases) and an HMR client that connects the
 * way the browser runtime does and records every message for the leak checks.
 */
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { Running } from './harness.js';

export interface UpgradeAnswer {
  status: number;
  head: string;
  /** The socket, still open when the server accepted (101); destroy it when done. */
  socket: Socket;
}

/** Lines of a websocket upgrade request; `omit` drops headers by lower-case name. */
export function upgradeRequest(
  run: Running,
  options: { path?: string; token?: string | null; origin?: string | null; host?: string | null; protocol?: string | null; extra?: string[] },
): string {
  const token = options.token === undefined ? '' : options.token;
  const path = options.path ?? `/@devserver/ws${token === null ? '' : `?token=${token}`}`;
  const lines = [`GET ${path} HTTP/1.1`];
  const host = options.host === undefined ? run.host : options.host;
  if (host !== null) lines.push(`Host: ${host}`);
  lines.push('Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
  const origin = options.origin === undefined ? run.origin : options.origin;
  if (origin !== null) lines.push(`Origin: ${origin}`);
  const protocol = options.protocol === undefined ? 'devserver-hmr' : options.protocol;
  if (protocol !== null) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  lines.push(...(options.extra ?? []), '', '');
  return lines.join('\r\n');
}

/** Writes an upgrade request and resolves with the status line once the head arrived (or the socket closed). */
export function rawUpgrade(port: number, request: string, timeoutMs = 5_000): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, head: data, socket });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new Error(`no answer to the upgrade within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => {
      data += c.toString('latin1');
      if (data.includes('\r\n\r\n') && /^HTTP\/1\.1 101/.test(data)) finish();
    });
    socket.on('error', () => finish());
    socket.on('close', finish);
    socket.write(request);
  });
}

export interface HmrClient {
  ws: WebSocket;
  /** Every text message received so far, parsed. */
  messages: Array<{ type: string } & Record<string, unknown>>;
  /** Raw text of every message (for the leak checks). */
  rawMessages: string[];
  /** Resolves with the first message (already received or later) that matches. */
  waitFor(match: (m: { type: string } & Record<string, unknown>) => boolean, timeoutMs?: number): Promise<{ type: string } & Record<string, unknown>>;
  /** Resolves when the socket is closed, with the close code. */
  closed: Promise<number>;
}

/** Connects the way the browser runtime does (same-origin Origin, subprotocol, token) and waits for `connected`. */
export async function connectHmr(run: Running, token: string): Promise<HmrClient> {
  const ws = new WebSocket(`ws://${run.host}/@devserver/ws?token=${encodeURIComponent(token)}`, 'devserver-hmr', {
    origin: run.origin,
  });
  const messages: HmrClient['messages'] = [];
  const rawMessages: string[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    rawMessages.push(text);
    messages.push(JSON.parse(text) as { type: string });
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('error', () => {});
  const waitFor: HmrClient['waitFor'] = (match, timeoutMs = 5_000) =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = messages.find(match);
        if (!found) return false;
        waiters.delete(onMessage);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const onMessage = (): void => void check();
      const timer = setTimeout(() => {
        waiters.delete(onMessage);
        reject(new Error(`no matching websocket message within ${timeoutMs} ms; got ${rawMessages.join(' | ').slice(0, 500)}`));
      }, timeoutMs);
      if (!check()) waiters.add(onMessage);
    });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const client = { ws, messages, rawMessages, waitFor, closed };
  await waitFor((m) => m.type === 'connected');
  return client;
}

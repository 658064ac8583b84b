/**
 * A browser tab without a browser, for protocol tests: it reads the page (for the token),
 * loads an entry's graph so the server knows the modules, and listens on the HMR socket.
 * `next(type)` waits for the next message of that type: tests wait on messages, not time.
 */
import WebSocket from 'ws';
import type { ServerMessage } from '../../shared/protocol.js';
import { HMR_PATH, HMR_SUBPROTOCOL } from '../../shared/constants.js';

export interface FakeTab {
  ws: WebSocket;
  token: string;
  messages: ServerMessage[];
  next(type?: ServerMessage['type']): Promise<ServerMessage>;
}

export async function openFakeTab(base: string, entry = '/src/main.ts'): Promise<FakeTab> {
  const html = await (await fetch(base)).text();
  const token = /"token":"([^"]+)"/.exec(html)![1];
  await fetch(`${base}@devserver/graph?entry=${encodeURIComponent(entry)}`);
  const ws = new WebSocket(`${base.replace('http', 'ws')}${HMR_PATH.slice(1)}?token=${token}`, HMR_SUBPROTOCOL, {
    headers: { Origin: base.slice(0, -1) },
  });
  const messages: ServerMessage[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as ServerMessage);
    waiters.splice(0).forEach((w) => w());
  });
  let read = 0;
  const next = async (type?: ServerMessage['type']): Promise<ServerMessage> => {
    for (;;) {
      while (read < messages.length) {
        const m = messages[read++];
        if (!type || m.type === type) return m;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  await next('connected');
  return { messages, next, ws, token };
}

/** Keep-alive: a tab that stops answering pings is dropped; one that answers stays. */
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHotChannel, type HotChannel } from '../hotChannel.js';
import { createLogger } from '../../logger.js';
import { HMR_PATH, HMR_SUBPROTOCOL } from '../../../shared/constants.js';

let server: http.Server;
let channel: HotChannel;

afterEach(async () => {
  await channel.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('keep-alive', () => {
  it('terminates a silent tab after a missed ping and keeps a responsive one', async () => {
    channel = createHotChannel({ buildId: 'b', logger: createLogger({ level: 'silent' }), checkUpgrade: () => ({ ok: true }), pingIntervalMs: 30 });
    server = http.createServer();
    server.on('upgrade', (req, socket, head) => channel.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `ws://127.0.0.1:${(server.address() as { port: number }).port}${HMR_PATH}`;
    const open = (autoPong: boolean) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url, HMR_SUBPROTOCOL, { autoPong });
        ws.once('open', () => resolve(ws)).once('error', reject);
      });
    const silent = await open(false);
    const alive = await open(true);
    const pings = { alive: 0 };
    alive.on('ping', () => pings.alive++);
    await new Promise((resolve) => silent.once('close', resolve));
    // One more keep-alive round: by then the server has processed the dropped socket.
    await new Promise((resolve) => alive.once('ping', resolve));
    expect(pings.alive).toBeGreaterThan(0);
    expect(alive.readyState).toBe(WebSocket.OPEN);
    expect(channel.clients.size).toBe(1);
    alive.close();
  });
});

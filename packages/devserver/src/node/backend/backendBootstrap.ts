/**
 * Preloaded into every backend process (`node --import <bundle of this file>`), before the
 * app's code. It makes the app's own `server.listen(PORT)` listen on the socket devserver
 * holds, so restarts never close the port:
 *  - the first `listen()` on a TCP port (any port: the app may hard-code one) is claimed:
 *    the bootstrap asks the parent for the shared listening socket over IPC and listens on
 *    it (`server.listen(handle)`), then reports ready with the port;
 *  - connections the parent accepted itself arrive over IPC and are handed to that server;
 *  - on `stop` it stops accepting (closes its copy of the socket; the parent and the new
 *    process keep theirs, so the port stays open), drains (connectionDrainer.ts), exits.
 * Other listens (a second server, a unix socket) are left alone. Without the
 * DEVSERVER_BACKEND variable and an IPC channel it does nothing, so it is harmless anywhere.
 * It runs in the app's process: it must not print, and throws nothing of its own.
 */
import net from 'node:net';
import { trackConnections, type ConnectionDrainer } from './connectionDrainer.js';
import { BACKEND_ENV, isParentMessage, type ChildMessage, type ParentMessage } from './ipcProtocol.js';
import { describeListen, isPortListen } from './listenArgs.js';

interface Claimed {
  server: net.Server;
  drainer: ConnectionDrainer;
}

if (process.env[BACKEND_ENV] && typeof process.send === 'function') install();

function install(): void {
  const originalListen = net.Server.prototype.listen;
  let claimed: Claimed | null = null;
  const post = (message: ChildMessage): void => {
    if (process.connected) process.send!(message);
  };

  net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]): net.Server {
    if (claimed || !isPortListen(args)) return Reflect.apply(originalListen, this, args) as net.Server;
    const last = args[args.length - 1];
    if (typeof last === 'function') this.once('listening', last as () => void);
    claimed = { server: this, drainer: trackConnections(this) };
    // Keep the process alive until the handle arrives (the channel is unref'd otherwise).
    process.channel?.ref();
    post({ type: 'devserver:listen', requested: describeListen(args) });
    return this;
  };

  function adopt(shared: unknown): void {
    if (!claimed || !(shared instanceof net.Server)) return;
    const { server } = claimed;
    const onError = (error: Error) => post({ type: 'devserver:listen-failed', message: error.message });
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      const address = server.address();
      post({ type: 'devserver:ready', port: typeof address === 'object' && address ? address.port : 0 });
      process.channel?.unref();
    });
    // `listen(handle)` takes over the handle's accept callback in this same tick: the
    // received server never gets to accept a connection of its own.
    Reflect.apply(originalListen, server, [shared]);
  }

  function stop(message: Extract<ParentMessage, { type: 'devserver:stop' }>): void {
    if (!claimed) process.exit(0);
    const { server, drainer } = claimed;
    // net's close, not http's: http's would also drop idle keep-alive connections at once.
    net.Server.prototype.close.call(server, () => undefined);
    void drainer.drain(message).then(() => process.exit(0));
  }

  process.on('message', (message: unknown, handle: unknown) => {
    if (!isParentMessage(message)) return;
    if (message.type === 'devserver:handle') adopt(handle);
    else if (message.type === 'devserver:connection') {
      if (claimed && handle instanceof net.Socket) claimed.server.emit('connection', handle);
    } else stop(message);
  });
  // devserver went away without stopping us: do not keep its port (and the app) running.
  process.on('disconnect', () => process.exit(0));
  process.channel?.unref();
}

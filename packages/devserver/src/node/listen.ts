/**
 * Listening: a taken port moves to the next one with a message, or with `strictPort`
 * fails with ERR_PORT_IN_USE that says which port and what to do. Also the URLs printed
 * and exposed as `server.resolvedUrls`.
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:net';
import { DevServerError, errnoCode } from './errors.js';
import type { Logger } from './logger.js';

export interface ResolvedUrls {
  local: string[];
  network: string[];
}

export interface ListenOptions {
  port: number;
  host: string;
  strictPort: boolean;
  logger: Logger;
  /** How many next ports to try before giving up. */
  attempts?: number;
}

function tryListen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function listenWithFallback(server: Server, options: ListenOptions): Promise<AddressInfo> {
  const attempts = options.attempts ?? 20;
  for (let i = 0; i <= attempts; i++) {
    const port = options.port === 0 ? 0 : options.port + i;
    try {
      return await tryListen(server, port, options.host);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EACCES') {
        throw new DevServerError('ERR_PERMISSION', `Port ${port} needs elevated privileges on ${options.host}`, {
          hint: 'use a port above 1024, e.g. --port 5173',
        });
      }
      if (code !== 'EADDRINUSE') throw error;
      if (options.strictPort) {
        throw new DevServerError('ERR_PORT_IN_USE', `Port ${port} is already in use`, {
          hint: `stop the program using it, pick another with --port ${port + 1}, or drop --strictPort to move to a free port`,
        });
      }
      options.logger.info(`port ${port} is in use, trying ${port + 1}`);
    }
  }
  throw new DevServerError('ERR_PORT_IN_USE', `No free port between ${options.port} and ${options.port + attempts}`, {
    hint: 'pass a free port with --port',
  });
}

export function resolveUrls(address: AddressInfo, host: string, secure: boolean, base: string): ResolvedUrls {
  const protocol = secure ? 'https' : 'http';
  const url = (hostname: string) =>
    `${protocol}://${hostname.includes(':') ? `[${hostname}]` : hostname}:${address.port}${base}`;
  const exposed = host === '0.0.0.0' || host === '::';
  if (!exposed) {
    const name = host === '127.0.0.1' || host === '::1' || host === 'localhost' ? (host === 'localhost' ? 'localhost' : host) : host;
    return { local: [url(name)], network: [] };
  }
  const network: string[] = [];
  for (const infos of Object.values(os.networkInterfaces())) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal) network.push(url(info.address));
    }
  }
  return { local: [url('localhost')], network };
}

/** Said at start and on `/` when the root has no index.html. */
export function noIndexHtml(root: string): DevServerError {
  return new DevServerError('ERR_NO_INDEX_HTML', `no index.html in ${root}, so / has nothing to show`, {
    hint: 'create index.html with <script type="module" src="/src/main.ts"></script>, or pass the folder that holds it: devserver ./my-app',
  });
}

/** Restarting a server in place when its config changes. */
import { toErrorPayload } from './errors.js';
import { formatErrorForTerminal } from './formatError.js';
import type { DevServer } from './server.js';

/**
 * Restart in place: the new instance is built first (a broken config leaves the old one
 * serving), then the old one closes and the new one takes its port. Tabs reconnect (the
 * token is kept), see a new build id and reload once. The object identity of `server` is
 * kept (fields are swapped), so the CLI's reference and plugins' references stay valid.
 */
export async function restartServer(server: DevServer, create: () => Promise<DevServer>): Promise<void> {
  const { logger } = server.config;
  if (server.config.middlewareMode) {
    logger.warn('config changed: in middleware mode devserver does not restart itself; restart your app to apply it');
    return;
  }
  let next: DevServer;
  try {
    next = await create();
  } catch (error) {
    logger.error(formatErrorForTerminal(toErrorPayload(error)));
    logger.warn('the server keeps running with the previous config; fix the error and save again');
    return;
  }
  const port = server.httpServer?.address();
  await server.close();
  const listening = typeof port === 'object' && port ? port.port : undefined;
  if (listening !== undefined) {
    next.config.server.strictPort = true;
    await next.listen(listening);
  }
  // The new instance's watcher calls `next.restart()`: route it to the original object.
  next.restart = server.restart;
  Object.assign(server, next);
  logger.info('server restarted');
}

/**
 * The one way this runtime reloads the page: log the reason (with the import chain that
 * forced it) in the console, send it to the server's terminal, emit `beforeFullReload`,
 * then reload, at most once.
 */
import type { HotEvents } from './hotEvents.js';
import type { RuntimeConsole, SendMessage } from './types.js';

export type FullReload = (reason: string, path?: string) => void;

export interface FullReloadDeps {
  readonly events: HotEvents;
  readonly console: RuntimeConsole;
  send: SendMessage;
  reload(): void;
}

export function createFullReload(deps: FullReloadDeps): FullReload & { readonly pending: boolean } {
  let pending = false;
  const fullReload = (reason: string, path?: string): void => {
    if (pending) return;
    pending = true;
    const message = `full reload: ${reason}`;
    deps.console.info(`[devserver] ${message}`);
    deps.send({ type: 'log', level: 'info', message });
    deps.events.emitBuiltin('beforeFullReload', { type: 'full-reload', reason, path });
    deps.reload();
  };
  return Object.defineProperty(fullReload, 'pending', { get: () => pending }) as FullReload & {
    readonly pending: boolean;
  };
}

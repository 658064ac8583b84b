/**
 * The runtime side of every `import.meta.hot`: the `data` objects (one per module id, kept
 * across re-executions, dropped on prune), custom events out to the server, and
 * `invalidate()`, which joins the update being applied or, outside one, queues its own
 * (for a module that was hot-updated before; a module on its first run has nothing to
 * pass on). Every invalidation is also sent to the server for its log.
 */
import type { HotEvents } from './hotEvents.js';
import type { HotHost } from './hotContext.js';
import type { Registry } from './registry.js';
import type { RuntimeConsole, SendMessage } from './types.js';
import type { Transaction } from './updateApplier.js';

export interface HotHostDeps {
  readonly events: HotEvents;
  readonly registry: Registry;
  readonly console: RuntimeConsole;
  readonly send: SendMessage;
  /** The update being applied, if any. */
  currentTransaction(): Transaction | undefined;
  /** Queues an update that starts from `id`'s importers. */
  queueInvalidation(id: string): void;
}

export function createHotHost(deps: HotHostDeps): HotHost & { dropData(id: string): void } {
  const dataById = new Map<string, Record<string, unknown>>();
  return {
    events: deps.events,
    data(id) {
      let data = dataById.get(id);
      if (!data) dataById.set(id, (data = {}));
      return data;
    },
    dropData(id) {
      dataById.delete(id);
    },
    invalidate(id, message) {
      deps.send({ type: 'invalidate', id, ...(message === undefined ? {} : { message }) });
      deps.events.emitBuiltin('invalidate', { path: id, message });
      deps.console.debug(`[devserver] invalidate ${id}${message ? `: ${message}` : ''}`);
      const tx = deps.currentTransaction();
      if (tx) tx.pending.set(id, message);
      else if ((deps.registry.get(id)?.version ?? 1) > 1) deps.queueInvalidation(id);
    },
    send(event, data) {
      deps.send({ type: 'custom', event, data });
    },
  };
}

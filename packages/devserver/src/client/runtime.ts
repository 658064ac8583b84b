/**
 * Wires one runtime: registry, evaluator, loader, `import.meta`, hot contexts, the update
 * queue and the overlay state, around injected effects (network, socket, reload, document,
 * UI), so that tests drive it with fakes and `main.ts` passes the browser's.
 *
 * @example
 * const runtime = createRuntime({ config, fetchJson, send, reload, origin, pathname });
 * await runtime.load('/src/main.ts');
 * socket.onmessage = (msg) => runtime.handleMessage(msg);
 */
import type { ClientMessage, ModulePayload, ServerMessage } from '../shared/protocol.js';
import { createErrorState, toErrorPayload } from './errorState.js';
import { createEvaluator, throwerOf } from './evaluator.js';
import { createFullReload } from './fullReload.js';
import { HotEvents } from './hotEvents.js';
import type { HotHost } from './hotContext.js';
import { createMetaFactory } from './importMeta.js';
import { createLoader, GraphError } from './loader.js';
import { createMessageQueue, type QueueItem } from './messageQueue.js';
import { compileWithEval, createRecord, type CompileFn } from './moduleRecord.js';
import { pageMatches } from './page.js';
import { Registry } from './registry.js';
import { CSS_MODULE_ID, createStyleSheets, type StyleSheets } from './styles.js';
import type { ClientConfig, FetchJson, ModuleNamespace, RuntimeConsole, RuntimeUI, SendMessage } from './types.js';
import { createUpdateApplier } from './updateApplier.js';
import { createUpdateHandler } from './updateHandler.js';

export interface RuntimeOptions {
  readonly config: ClientConfig;
  /** GET a graph/modules endpoint as JSON. */
  readonly fetchJson: FetchJson;
  /** Sends to the server (the socket buffers while closed). */
  readonly send: SendMessage;
  /** Reloads the page (`location.reload()`). */
  reload(): void;
  /** `location.origin`. */
  readonly origin: string;
  /** `location.pathname`, read when an HTML change arrives. */
  pathname(): string;
  /** Native `import()` for pre-bundled dependencies and foreign URLs. */
  importNative?(url: string): Promise<ModuleNamespace>;
  readonly document?: Document;
  readonly ui?: RuntimeUI;
  readonly console?: RuntimeConsole;
  readonly compile?: CompileFn;
}

export interface Runtime {
  /** Loads and runs an entry module (one `load` per entry script, in document order). */
  load(entryId: string): Promise<void>;
  /** `import()` of a module id from outside any module. */
  importModule(id: string): Promise<ModuleNamespace>;
  handleMessage(msg: ServerMessage): void;
  /** The socket opened (true) or closed (false). */
  connectionChanged(connected: boolean, webSocket?: unknown): void;
  /** The `hello` to send when the socket opens. */
  hello(): ClientMessage;
  /** Resolves when queued messages have been applied (tests). */
  idle(): Promise<void>;
  readonly registry: Registry;
  readonly events: HotEvents;
  readonly styles: StyleSheets;
}

const noUI: RuntimeUI = { showErrors() {}, setConnectionLost() {} };

function builtinPayload(id: string, ns: ModuleNamespace): ModulePayload {
  return { id, hash: 'builtin', deps: {}, dynamicDeps: {}, imports: [], exports: Object.keys(ns), stars: [], tla: false, code: '' };
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const { config, origin } = options;
  const log = options.console ?? console;
  const importNative = options.importNative ?? ((url: string) => import(url) as Promise<ModuleNamespace>);
  const registry = new Registry();
  const events = new HotEvents(log);
  const errors = createErrorState(options.ui ?? noUI, events);
  const styles = createStyleSheets(options.document);
  const dataById = new Map<string, Record<string, unknown>>();
  const broken = new Set<string>();
  const loads = new Set<Promise<unknown>>();
  const fullReload = createFullReload({ events, console: log, send: options.send, reload: () => options.reload() });

  const css = { ...createRecord(builtinPayload(CSS_MODULE_ID, styles.namespace), 1), kind: 'builtin' as const };
  css.ns = styles.namespace;
  css.state = 'evaluated';
  registry.set(css);

  const hotHost: HotHost = {
    events,
    data(id) {
      let data = dataById.get(id);
      if (!data) dataById.set(id, (data = {}));
      return data;
    },
    invalidate(id, message) {
      options.send({ type: 'invalidate', id, ...(message === undefined ? {} : { message }) });
      events.emitBuiltin('invalidate', { path: id, message });
      log.debug(`[devserver] invalidate ${id}${message ? `: ${message}` : ''}`);
      const tx = updates.current();
      if (tx) tx.pending.set(id, message);
      else if ((registry.get(id)?.version ?? 1) > 1) queue.pushLocal({ type: 'invalidate', ids: [id] });
    },
    send(event, data) {
      options.send({ type: 'custom', event, data });
    },
  };

  const meta = createMetaFactory({
    origin,
    env: config.env,
    registry,
    hotHost,
    importById: (id) => loader.importById(id),
    importNative,
  });
  const evaluator = createEvaluator(meta);
  const loader = createLoader({ registry, evaluator, fetchJson: options.fetchJson, compile: options.compile ?? compileWithEval, importNative });
  const applier = createUpdateApplier({
    registry,
    evaluator,
    events,
    console: log,
    fetchGraph: loader.fetchGraph,
    prepare: loader.prepare,
    data: hotHost.data,
    dropData: (id) => dataById.delete(id),
    removeStyle: styles.removeStyle,
  });
  const updates = createUpdateHandler({
    registry,
    applier,
    loader,
    errors,
    events,
    console: log,
    fullReload,
    document: options.document,
    origin,
    page: config.page || undefined,
    pathname: options.pathname,
    broken,
  });

  const handle = async (item: QueueItem): Promise<void> => {
    if (fullReload.pending) return;
    switch (item.type) {
      case 'update':
        return updates.handleUpdate(item);
      case 'invalidate':
        return updates.handleInvalidate(item.ids);
      case 'full-reload':
        if (!item.page || pageMatches(item.page, config.page || undefined, options.pathname())) {
          fullReload(item.reason, item.page);
        }
        return;
      case 'error':
        log.error(`[devserver] ${item.error.message}`);
        return errors.serverError(item.error);
      case 'error-cleared':
        return errors.serverErrorCleared(item.id);
    }
  };

  const queue = createMessageQueue({
    lastSeq: config.seq ?? -1,
    handle,
    before: async () => {
      while (loads.size) await Promise.allSettled([...loads]);
    },
    onError: (error) => log.error('[devserver] applying a server message failed:', error),
  });

  async function load(entryId: string): Promise<void> {
    registry.entries.add(entryId);
    const task = loader.importById(entryId);
    loads.add(task);
    try {
      await task;
    } catch (error) {
      for (const id of [entryId, ...loader.graphIdsOf(entryId)]) broken.add(id);
      const thrower = throwerOf(registry.ids().map((id) => registry.get(id)!), error);
      errors.localErrors(
        error instanceof GraphError ? error.errors : [toErrorPayload(error, 'ERR_LOAD', thrower?.id ?? entryId)],
      );
      throw error;
    } finally {
      loads.delete(task);
    }
  }

  return {
    load,
    importModule: (id) => loader.importById(id),
    handleMessage(msg) {
      if (msg.type === 'connected') {
        if (msg.buildId !== config.buildId) fullReload('the devserver restarted with a new build');
        else queue.setLastSeq(msg.seq);
      } else if (msg.type === 'custom') {
        events.emit(msg.event, msg.data);
      } else {
        queue.push(msg);
      }
    },
    connectionChanged(connected, webSocket) {
      options.ui?.setConnectionLost(!connected);
      events.emitBuiltin(connected ? 'ws:connect' : 'ws:disconnect', { webSocket });
    },
    hello: () => ({ type: 'hello', buildId: config.buildId, lastSeq: queue.lastSeq(), page: config.page }),
    idle: () => queue.idle(),
    registry,
    events,
    styles,
  };
}

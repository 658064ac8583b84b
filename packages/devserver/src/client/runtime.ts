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
import type { ErrorPayload, ClientMessage, ServerMessage } from '../shared/protocol.js';
import { createErrorState, toErrorPayload } from './errorState.js';
import { createEvaluator, throwerOf } from './evaluator.js';
import { createFullReload } from './fullReload.js';
import { HotEvents } from './hotEvents.js';
import { createHotHost } from './hotHost.js';
import { createMetaFactory } from './importMeta.js';
import { createLoader, GraphError } from './loader.js';
import { createMessageQueue, type QueueItem } from './messageQueue.js';
import { compileWithEval, createBuiltinRecord, type CompileFn } from './moduleRecord.js';
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
  /** Shows an uncaught error or unhandled rejection of the page in the overlay. */
  runtimeError(error: ErrorPayload): void;
  readonly registry: Registry;
  readonly events: HotEvents;
  readonly styles: StyleSheets;
}

const noUI: RuntimeUI = { showErrors() {}, setConnectionLost() {} };

/**
 * Creates a runtime. Long because it only wires the pieces together; the behaviour lives
 * in the files it imports.
 */
export function createRuntime(options: RuntimeOptions): Runtime {
  const { config, origin } = options;
  const log = options.console ?? console;
  const importNative = options.importNative ?? ((url: string) => import(url) as Promise<ModuleNamespace>);
  const registry = new Registry();
  const events = new HotEvents(log);
  const errors = createErrorState(options.ui ?? noUI, events);
  const styles = createStyleSheets(options.document);
  const broken = new Set<string>();
  const loads = new Set<Promise<unknown>>();
  const fullReload = createFullReload({ events, console: log, send: options.send, reload: () => options.reload() });

  registry.set(createBuiltinRecord(CSS_MODULE_ID, styles.namespace));

  const hotHost = createHotHost({
    events,
    registry,
    console: log,
    send: options.send,
    currentTransaction: () => updates.current(),
    queueInvalidation: (id) => queue.pushLocal({ type: 'invalidate', ids: [id] }),
  });

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
    dropData: hotHost.dropData,
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
    send: options.send,
  });

  const matchesPage = (page: string | undefined) =>
    !page || pageMatches(page, config.page || undefined, options.pathname());
  const handle = async (item: QueueItem): Promise<void> => {
    if (fullReload.pending) return;
    if (item.type === 'update') return updates.handleUpdate(item);
    if (item.type === 'invalidate') return updates.handleInvalidate(item.ids);
    if (item.type === 'full-reload') return matchesPage(item.page) ? fullReload(item.reason, item.page) : undefined;
    if (item.type === 'error-cleared') return errors.serverErrorCleared(item.id);
    log.error(`[devserver] ${item.error.message}`);
    errors.serverError(item.error);
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
    runtimeError: (error) => errors.localErrors([error]),
    registry,
    events,
    styles,
  };
}

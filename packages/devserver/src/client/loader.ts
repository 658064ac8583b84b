/**
 * Loading module graphs into the registry: `GET /@devserver/graph?entry=<id>` answers every
 * module reachable from an entry (or a lazily imported module) in one response; the new
 * ones are linked as a set (nothing runs if any import does not link), pre-bundled
 * dependencies are imported natively, and only then are they registered and evaluated.
 * Registration is serialized so two concurrent loads never make two instances of one id.
 */
import { GRAPH_PATH, MODULES_PATH } from '../shared/constants.js';
import type { ErrorPayload, GraphPayload, ModulePayload } from '../shared/protocol.js';
import type { Evaluator } from './evaluator.js';
import { checkNativeImports, linkRecords } from './linker.js';
import { createRecord, type CompileFn, type RecordLookup } from './moduleRecord.js';
import type { Registry } from './registry.js';
import type { FetchJson, ModuleNamespace, ModuleRecord } from './types.js';

/** The graph the server answered has modules that failed to transform. */
export class GraphError extends Error {
  constructor(readonly errors: ErrorPayload[]) {
    super(errors[0]?.message ?? 'the module graph has errors');
    this.name = 'GraphError';
  }
}

export interface LoaderDeps {
  readonly registry: Registry;
  readonly evaluator: Evaluator;
  readonly fetchJson: FetchJson;
  readonly compile: CompileFn;
  importNative(url: string): Promise<ModuleNamespace>;
}

export function graphUrl(id: string): string {
  return `${GRAPH_PATH}?entry=${encodeURIComponent(id)}`;
}

export function modulesUrl(ids: readonly string[]): string {
  return `${MODULES_PATH}?ids=${ids.map(encodeURIComponent).join(',')}`;
}

/** GETs a payload and turns transform errors into a `GraphError`. */
async function fetchPayload(fetchJson: FetchJson, url: string): Promise<GraphPayload> {
  const payload = await fetchJson(url);
  if (payload.errors?.length) throw new GraphError(payload.errors);
  return payload;
}

export function createLoader(deps: LoaderDeps) {
  const { registry } = deps;
  const inflight = new Map<string, Promise<void>>();
  /** Ids of the graph last fetched for a load that has not succeeded (yet). */
  const graphIds = new Map<string, string[]>();
  let lock: Promise<void> = Promise.resolve();

  /** Links `records` and imports the native ones; throws before anything runs. */
  async function prepare(records: ModuleRecord[], lookup: RecordLookup): Promise<void> {
    const fresh = records.filter((r) => r.state === 'linking');
    linkRecords(fresh, lookup, deps.compile);
    await Promise.all(
      fresh
        .filter((r) => r.kind === 'native')
        .map(async (rec) => {
          rec.ns = await deps.importNative(rec.payload.url!);
          rec.state = 'evaluated';
        }),
    );
    checkNativeImports(fresh, lookup);
  }

  /** Registers the modules of `payloads` this tab does not have yet. */
  function instantiate(payloads: ModulePayload[]): Promise<void> {
    const task = lock.then(async () => {
      const local = new Map<string, ModuleRecord>();
      for (const p of payloads) if (!registry.has(p.id) && !local.has(p.id)) local.set(p.id, createRecord(p, 1));
      const lookup: RecordLookup = (id) => local.get(id) ?? registry.get(id);
      await prepare([...local.values()], lookup);
      for (const rec of local.values()) registry.set(rec);
    });
    lock = task.catch(() => undefined);
    return task;
  }

  /** Makes sure `id` is registered, fetching its graph once even if asked concurrently. */
  function ensure(id: string): Promise<void> {
    if (registry.has(id)) return Promise.resolve();
    let pending = inflight.get(id);
    if (!pending) {
      pending = (async () => {
        const graph = await deps.fetchJson(graphUrl(id));
        const ids = graph.modules.map((m) => m.id);
        for (const e of graph.errors ?? []) if (e.id) ids.push(e.id);
        graphIds.set(id, ids);
        if (graph.errors?.length) throw new GraphError(graph.errors);
        await instantiate(graph.modules);
        if (!registry.has(id)) throw new Error(`[devserver] the graph of ${id} does not contain it`);
      })();
      inflight.set(id, pending);
      pending.then(
        () => inflight.delete(id),
        () => inflight.delete(id),
      );
    }
    return pending;
  }

  return {
    prepare,
    /** Loads (if needed) and evaluates `id`; resolves to its namespace. */
    async importById(id: string): Promise<ModuleNamespace> {
      await ensure(id);
      const rec = registry.get(id)!;
      await deps.evaluator.evaluate(rec);
      graphIds.delete(id);
      return rec.ns;
    },
    /** The module ids of the last graph fetched for `id`, while its load has not succeeded. */
    graphIdsOf: (id: string): string[] => graphIds.get(id) ?? [],
    fetchGraph: (id: string) => fetchPayload(deps.fetchJson, graphUrl(id)),
    fetchModules: (ids: readonly string[]) => fetchPayload(deps.fetchJson, modulesUrl(ids)),
  };
}

export type Loader = ReturnType<typeof createLoader>;

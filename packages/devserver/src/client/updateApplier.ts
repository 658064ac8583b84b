/**
 * Applies a planned hot update: stage new instances of every module to re-execute (new code
 * for changed modules, the factory already held for the others), fetch any module the new
 * code imports that this tab never loaded, link them all (a link error stops here, before
 * anything is disposed), run dispose handlers, evaluate, then commit the new instances,
 * prune modules nothing imports any more and call the accept callbacks. Modules that call
 * `invalidate()` meanwhile start another round from their importers; a module that
 * invalidates twice in one update reloads the page instead of looping.
 *
 * If evaluation throws, the staged instances are dropped (their own dispose handlers run),
 * the old instances stay registered (marked disposed so their handlers do not run twice)
 * and the error goes up to the caller, which shows it and retries with the next update.
 */
import type { GraphPayload, ModulePayload } from '../shared/protocol.js';
import type { HotEvents } from './hotEvents.js';
import type { HotContext } from './hotContext.js';
import { createRecord, type RecordLookup } from './moduleRecord.js';
import { displayId } from './reloadReason.js';
import type { Registry } from './registry.js';
import { resolveSpecifier } from './specifiers.js';
import { throwerOf, type Evaluator } from './evaluator.js';
import { ModuleFailure } from './errorState.js';
import { planUpdate, type Boundary, type UpdatePlan } from './updateWalker.js';
import type { ModuleNamespace, ModuleRecord, RuntimeConsole } from './types.js';

export interface ApplierDeps {
  readonly registry: Registry;
  readonly evaluator: Evaluator;
  readonly events: HotEvents;
  readonly console: RuntimeConsole;
  /** GET the graph below one module (for modules the new code imports for the first time). */
  fetchGraph(id: string): Promise<GraphPayload>;
  /** Link records and import native ones (throws on link errors). */
  prepare(records: ModuleRecord[], lookup: RecordLookup): Promise<void>;
  data(id: string): Record<string, unknown>;
  dropData(id: string): void;
  removeStyle(id: string): void;
}

/** One update as the user sees it: its rounds share the invalidation guard. */
export interface Transaction {
  /** Invalidations asked for during the current round: id -> message. */
  readonly pending: Map<string, string | undefined>;
  /** Every module that invalidated in this update. */
  readonly invalidated: Set<string>;
}

export type RoundResult = { kind: 'ok'; callbackErrors: unknown[] } | { kind: 'reload'; reason: string };

function updatePayload(boundaries: readonly Boundary[]) {
  const timestamp = Date.now();
  return {
    type: 'update' as const,
    updates: boundaries.map((b) => ({
      type: 'js-update' as const,
      path: b.id,
      acceptedPath: b.accepted,
      timestamp,
      explicitImportRequired: false,
      isWithinCircularImport: false,
    })),
  };
}

export function createUpdateApplier(deps: ApplierDeps) {
  const { registry, events, console } = deps;

  const runCallbacks = (cbs: ReadonlyArray<(data: Record<string, unknown>) => void>, id: string) => {
    for (const cb of cbs) {
      try {
        cb(deps.data(id));
      } catch (error) {
        console.error(`[devserver] a dispose/prune handler of ${id} threw`, error);
      }
    }
  };

  const dispose = (rec: ModuleRecord) => {
    if (rec.disposed) return;
    rec.disposed = true;
    if (rec.hot) runCallbacks(rec.hot.disposeCallbacks, rec.id);
  };

  /** Records the new code imports statically that neither staging nor the registry has. */
  const missingDeps = (staged: Map<string, ModuleRecord>, lookup: RecordLookup): string[] => {
    const missing = new Set<string>();
    for (const rec of staged.values()) {
      for (const spec of rec.importOrder) {
        const id = resolveSpecifier(rec.payload, spec);
        if (id !== null && !lookup(id)) missing.add(id);
      }
    }
    return [...missing];
  };

  async function stage(plan: Extract<UpdatePlan, { kind: 'hot' }>, code: Map<string, ModulePayload>) {
    const staged = new Map<string, ModuleRecord>();
    for (const id of plan.reexec) {
      const old = registry.get(id)!;
      const rec = createRecord(code.get(id) ?? old.payload, old.version + 1);
      if (!code.has(id)) rec.factory = old.factory;
      staged.set(id, rec);
    }
    const lookup: RecordLookup = (id) => staged.get(id) ?? registry.get(id);
    for (let missing = missingDeps(staged, lookup); missing.length; missing = missingDeps(staged, lookup)) {
      const graphs = await Promise.all(missing.map((id) => deps.fetchGraph(id)));
      for (const graph of graphs) {
        for (const m of graph.modules) if (!lookup(m.id)) staged.set(m.id, createRecord(m, 1));
      }
      for (const id of missing) if (!lookup(id)) throw new Error(`[devserver] the server sent no code for ${id}`);
    }
    await deps.prepare([...staged.values()], lookup);
    return staged;
  }

  function discard(staged: Map<string, ModuleRecord>) {
    for (const rec of staged.values()) {
      if (rec.state === 'evaluated') dispose(rec);
      rec.hot?.removeListeners();
    }
  }

  function prune(replaced: ModuleRecord[]) {
    const queue = replaced.flatMap((r) => r.edges);
    const pruned: ModuleRecord[] = [];
    while (queue.length) {
      const id = queue.pop()!;
      const rec = registry.get(id);
      if (!rec || rec.kind === 'builtin' || registry.isRoot(id) || registry.importersOf(id).length) continue;
      registry.delete(id);
      pruned.push(rec);
      queue.push(...rec.edges);
    }
    if (!pruned.length) return;
    events.emitBuiltin('beforePrune', { type: 'prune', paths: pruned.map((r) => r.id) });
    for (const rec of pruned) {
      dispose(rec);
      if (rec.hot) runCallbacks(rec.hot.pruneCallbacks, rec.id);
      rec.hot?.removeListeners();
      deps.removeStyle(rec.id);
      deps.dropData(rec.id);
    }
  }

  /** Calls the accept callbacks of `plan` with `nsOf(id)` (undefined when the update failed). */
  function accept(
    plan: Extract<UpdatePlan, { kind: 'hot' }>,
    old: Map<string, ModuleRecord>,
    nsOf: (id: string) => ModuleNamespace | undefined,
  ): unknown[] {
    const errors: unknown[] = [];
    const call = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        errors.push(error);
      }
    };
    const depBoundaries = new Map<string, Set<string>>();
    for (const b of plan.boundaries) {
      if (b.id === b.accepted) {
        const cbs = (old.get(b.id)?.hot?.selfCallbacks ?? []) as ReadonlyArray<(mod: unknown) => void>;
        for (const cb of cbs) call(() => cb(nsOf(b.id)));
      } else if (!old.has(b.id)) {
        const set = depBoundaries.get(b.id) ?? new Set<string>();
        depBoundaries.set(b.id, set.add(b.accepted));
      }
    }
    for (const [id, accepted] of depBoundaries) {
      const hot: HotContext | undefined = registry.get(id)?.hot;
      for (const a of hot?.depAccepts ?? []) {
        if (!a.callback || !a.ids.some((d) => accepted.has(d))) continue;
        const mods = a.ids.map((d) => (accepted.has(d) ? nsOf(d) : undefined));
        const cb = a.callback as (arg: unknown) => void;
        call(() => cb(a.array ? mods : mods[0]));
      }
    }
    return errors;
  }

  /** Runs one round of `plan` (changed modules' new code in `code`). */
  async function runRound(
    tx: Transaction,
    plan: Extract<UpdatePlan, { kind: 'hot' }>,
    code: Map<string, ModulePayload>,
  ): Promise<RoundResult> {
    const staged = await stage(plan, code);
    const old = new Map(plan.reexec.map((id) => [id, registry.get(id)!] as const));
    const payload = updatePayload(plan.boundaries);
    events.emitBuiltin('beforeUpdate', payload);
    for (const rec of old.values()) dispose(rec);
    try {
      // from the top, like a fresh load of each boundary: accepted modules first, then the rest
      const roots = [...plan.boundaries.map((b) => b.accepted), ...plan.reexec];
      for (const id of new Set(roots)) {
        const rec = staged.get(id);
        if (rec) await deps.evaluator.evaluate(rec);
      }
    } catch (error) {
      discard(staged);
      accept(plan, old, () => undefined).forEach((e) => console.error('[devserver]', e));
      throw new ModuleFailure(error, throwerOf(staged.values(), error)?.id);
    }
    for (const rec of staged.values()) registry.set(rec);
    for (const rec of old.values()) rec.hot?.removeListeners();
    prune([...old.values()]);
    const callbackErrors = accept(plan, old, (id) => registry.get(id)?.ns);
    for (const b of plan.boundaries) console.debug(`[devserver] hot updated: ${displayId(b.id)}`);
    events.emitBuiltin('afterUpdate', payload);
    return nextRound(tx, callbackErrors);
  }

  async function nextRound(tx: Transaction, errors: unknown[]): Promise<RoundResult> {
    if (!tx.pending.size) return { kind: 'ok', callbackErrors: errors };
    const ids = [...tx.pending.keys()].filter((id) => registry.has(id));
    tx.pending.clear();
    for (const id of ids) {
      if (tx.invalidated.has(id)) {
        return { kind: 'reload', reason: `${displayId(id)} invalidated the same update twice` };
      }
      tx.invalidated.add(id);
    }
    if (!ids.length) return { kind: 'ok', callbackErrors: errors };
    const plan = planUpdate(registry, ids, new Set(ids));
    if (plan.kind === 'reload') return plan;
    const result = await runRound(tx, plan, new Map());
    return result.kind === 'ok' ? { kind: 'ok', callbackErrors: [...errors, ...result.callbackErrors] } : result;
  }

  return { runRound, nextRound };
}

export type UpdateApplier = ReturnType<typeof createUpdateApplier>;

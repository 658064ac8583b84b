/**
 * Runs linked records in ESM order: depth-first post-order, each module once, cycles cut at
 * the back edge, top-level await with async siblings started concurrently (sync siblings
 * still one after another) and the parent waiting for all of them. A module that threw
 * keeps that error and every later import gets the same error object.
 *
 * How a factory is driven: it is called when its module is entered, before its
 * dependencies run. It defines its export getters (and hoists its function declarations,
 * which cycles may call, as in ESM) and then stops at its first `__vite_ssr_import__`,
 * whose promise (the "gate") this evaluator holds until every dependency has run. Later
 * import calls return namespaces directly. For a module with top-level await, the next
 * sibling starts once the body has reached its first await: the evaluator polls, one
 * microtask at a time, until the body stops making import calls.
 *
 * Known difference from native ESM: every import is an `await`, so microtasks queued by a
 * module body can run before the next module body where native ESM would run sync modules
 * back to back.
 */
import { deferred, silence, tick, type Deferred } from './async.js';
import { finalizeNamespace } from './namespace.js';
import type { DynamicImportFn, ModuleNamespace, ModuleRecord, RunState } from './types.js';

/** What the evaluator needs from the runtime to start a factory. */
export interface EvaluatorHost {
  /** `import.meta` for an instance. */
  createMeta(rec: ModuleRecord): object;
  /** `__vite_ssr_dynamic_import__` for an instance. */
  dynamicImport(rec: ModuleRecord): DynamicImportFn;
}

interface Frame {
  readonly rec: ModuleRecord;
  readonly parent: Frame | undefined;
}

interface Run extends RunState {
  readonly readyGate: Deferred<void>;
  gate: Deferred<ModuleNamespace> | undefined;
  gateDep: ModuleRecord | undefined;
  gateOpen: boolean;
  importCalls: number;
  factory: Promise<void> | undefined;
}

function onStack(frame: Frame | undefined, rec: ModuleRecord): boolean {
  for (let f = frame; f; f = f.parent) if (f.rec === rec) return true;
  return false;
}

/** Whether `to` is reachable from `from` through modules that are still evaluating. */
function reachesThroughEvaluating(from: ModuleRecord, to: ModuleRecord): boolean {
  const seen = new Set<ModuleRecord>();
  const stack = [from];
  while (stack.length) {
    const rec = stack.pop()!;
    if (rec === to) return true;
    if (seen.has(rec) || rec.state !== 'evaluating') continue;
    seen.add(rec);
    stack.push(...rec.requested);
  }
  return false;
}

export interface Evaluator {
  /** Evaluates `rec` and everything below it; rejects with the module's error. */
  evaluate(rec: ModuleRecord): Promise<void>;
}

/** The evaluator of one runtime. */
export function createEvaluator(host: EvaluatorHost): Evaluator {
  function start(rec: ModuleRecord, parent: Frame | undefined): Run {
    const readyGate = deferred<void>();
    const run: Run = {
      done: Promise.resolve(),
      ready: readyGate.promise,
      readyGate,
      async: false,
      gate: undefined,
      gateDep: undefined,
      gateOpen: false,
      importCalls: 0,
      factory: undefined,
    };
    rec.state = 'evaluating';
    rec.run = run;
    run.done = execute(rec, run, { rec, parent }).then(
      () => {
        rec.state = 'evaluated';
        finalizeNamespace(rec.ns);
        if (!readyGate.settled) readyGate.resolve();
      },
      (error: unknown) => {
        rec.state = 'errored';
        rec.error = error;
        finalizeNamespace(rec.ns);
        if (!readyGate.settled) readyGate.reject(error);
        throw error;
      },
    );
    silence(run.done);
    silence(run.ready);
    return run;
  }

  function callFactory(rec: ModuleRecord, run: Run): void {
    const ssrImport = (spec: string): unknown => {
      run.importCalls++;
      const dep = rec.bySpec.get(spec);
      if (!dep) throw new Error(`[devserver] ${rec.id}: '${spec}' was not linked`);
      if (run.gateOpen) return dep.ns;
      if (!run.gate) {
        run.gate = deferred<ModuleNamespace>();
        run.gateDep = dep;
      }
      return run.gate.promise;
    };
    const factory = rec.factory!;
    run.factory = factory(rec.ns, host.createMeta(rec), ssrImport, host.dynamicImport(rec), () => {
      // `export *` names are on the namespace since link time
    });
    silence(run.factory);
  }

  async function execute(rec: ModuleRecord, run: Run, frame: Frame): Promise<void> {
    if (rec.kind !== 'code') return;
    callFactory(rec, run);
    const pending: Array<Promise<void>> = [];
    for (const dep of rec.requested) {
      if (dep.state === 'evaluated') continue;
      if (dep.state === 'errored') throw dep.error;
      if (dep.state === 'evaluating') {
        // a back edge of a cycle, or a module another branch is still running (TLA)
        if (onStack(frame, dep) || reachesThroughEvaluating(dep, rec)) continue;
        pending.push(dep.run!.done);
        continue;
      }
      const depRun = start(dep, frame);
      await depRun.ready;
      if (depRun.async) pending.push(depRun.done);
    }
    if (pending.length > 0) {
      run.async = true;
      run.readyGate.resolve();
      await Promise.all(pending);
    } else if (rec.payload.tla) {
      run.async = true;
    }
    run.gateOpen = true;
    if (run.gate) run.gate.resolve(run.gateDep!.ns);
    if (run.async && !run.readyGate.settled) {
      // let the body run up to its first await before the parent starts the next sibling
      let seen = -1;
      while (seen !== run.importCalls) {
        seen = run.importCalls;
        await tick();
      }
      run.readyGate.resolve();
    }
    try {
      await run.factory;
    } catch (error) {
      rec.threw = true;
      throw error;
    }
  }

  return {
    evaluate(rec) {
      if (rec.state === 'evaluated') return Promise.resolve();
      if (rec.state === 'errored') return Promise.reject(rec.error);
      if (rec.state === 'evaluating') return rec.run!.done;
      return start(rec, undefined).done;
    },
  };
}

/** The record among `records` whose own body threw `error` (the others passed it on). */
export function throwerOf(records: Iterable<ModuleRecord>, error: unknown): ModuleRecord | undefined {
  for (const rec of records) if (rec.threw && rec.error === error) return rec;
  return undefined;
}

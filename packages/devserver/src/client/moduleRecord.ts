/**
 * Creating module records from payloads and linking them: each static specifier is bound
 * to a record (like ESM linking: the binding is fixed before anything runs), `export *`
 * sources are attached, and factory code is compiled up front so a syntax error stops the
 * whole graph before any body runs.
 */
import type { ModulePayload } from '../shared/protocol.js';
import { emptyNamespace } from './namespace.js';
import { resolveSpecifier } from './specifiers.js';
import type { ModuleFactory, ModuleNamespace, ModuleRecord } from './types.js';

/** Turns factory source into the factory function (indirect eval by default). */
export type CompileFn = (code: string, id: string) => ModuleFactory;

/** Indirect eval: the code runs in global scope, like a module would. */
export const compileWithEval: CompileFn = (code) => (0, eval)(code) as ModuleFactory;

const IMPORT_CALL = '__vite_ssr_import__("';

/**
 * Static import specifiers in the order the factory calls them. The payload's `deps` is
 * keyed by specifier and its order is not guaranteed to be the source order, which ESM
 * evaluation order depends on; the calls in the code are (imports are hoisted in order).
 */
export function scanImportOrder(code: string): string[] {
  const specs: string[] = [];
  let at = code.indexOf(IMPORT_CALL);
  while (at !== -1) {
    const start = at + IMPORT_CALL.length - 1;
    let end = start + 1;
    while (end < code.length && code[end] !== '"') end += code[end] === '\\' ? 2 : 1;
    try {
      const spec = JSON.parse(code.slice(start, end + 1)) as string;
      if (!specs.includes(spec)) specs.push(spec);
    } catch {
      // not a string literal we understand; `deps` still lists it
    }
    at = code.indexOf(IMPORT_CALL, end);
  }
  return specs;
}

/** A fresh, unlinked record for a payload. */
export function createRecord(payload: ModulePayload, version: number): ModuleRecord {
  const kind = payload.url ? 'native' : 'code';
  const edges = new Set([...Object.values(payload.deps), ...Object.values(payload.dynamicDeps)]);
  const order = kind === 'code' ? scanImportOrder(payload.code) : [];
  for (const spec of Object.keys(payload.deps)) if (!order.includes(spec)) order.push(spec);
  return {
    id: payload.id,
    hash: payload.hash,
    kind,
    payload,
    version,
    ns: emptyNamespace(),
    ownExports: new Set(payload.exports),
    stars: [],
    requested: [],
    bySpec: new Map(),
    edges: [...edges],
    importOrder: order,
    state: 'linking',
    disposed: false,
  };
}

/** A record for a module this runtime provides itself (already evaluated). */
export function createBuiltinRecord(id: string, ns: ModuleNamespace): ModuleRecord {
  const payload: ModulePayload = {
    id,
    hash: 'builtin',
    deps: {},
    dynamicDeps: {},
    imports: [],
    exports: Object.keys(ns),
    stars: [],
    tla: false,
    code: '',
  };
  return { ...createRecord(payload, 1), kind: 'builtin', ns, state: 'evaluated' };
}

/** Looks up the record an id links to (staged, freshly fetched or already executed). */
export type RecordLookup = (id: string) => ModuleRecord | undefined;

/** Binds `rec`'s specifiers and stars to records; throws if a dependency is missing. */
export function linkRecord(rec: ModuleRecord, lookup: RecordLookup): void {
  const find = (id: string, spec: string): ModuleRecord => {
    const dep = lookup(id);
    if (!dep) {
      throw new TypeError(
        `[devserver] ${rec.id} imports '${spec}' (${id}), which is not in the module graph`,
      );
    }
    return dep;
  };
  const requested: ModuleRecord[] = [];
  for (const spec of rec.importOrder) {
    const id = resolveSpecifier(rec.payload, spec);
    if (id === null) throw new TypeError(`Failed to resolve module specifier "${spec}" in ${rec.id}`);
    const dep = find(id, spec);
    rec.bySpec.set(spec, dep);
    if (!requested.includes(dep)) requested.push(dep);
  }
  rec.requested = requested;
  rec.stars = rec.payload.stars.map((id) => find(id, id));
}

/** Compiles the factory of a code record (a SyntaxError here stops the graph). */
export function compileRecord(rec: ModuleRecord, compile: CompileFn): void {
  if (rec.kind !== 'code' || rec.factory) return;
  const factory = compile(rec.payload.code, rec.id);
  if (typeof factory !== 'function') {
    throw new TypeError(`[devserver] the code of ${rec.id} did not evaluate to a module factory`);
  }
  rec.factory = factory;
}

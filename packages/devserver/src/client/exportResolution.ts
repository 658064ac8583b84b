/**
 * ESM export resolution over linked records (ECMA-262 ResolveExport / GetExportedNames),
 * from the names each payload declares and its `export *` sources. It decides which names
 * a namespace has (sorted; `default` never comes through a star; a name two stars provide
 * from different bindings is ambiguous and left out) and whether an import links.
 *
 * Limitation: a payload lists indirect re-exports (`export { x } from './c'`) as the
 * re-exporter's own names, so two stars that reach the same binding through such a
 * re-export count as ambiguous, where ESM would follow them to the same binding.
 */
import type { ModuleRecord } from './types.js';

/** Where an exported name lives: the module that declares it, under which name. */
export interface Binding {
  readonly rec: ModuleRecord;
  readonly name: string;
}

export type Resolution = Binding | null | 'ambiguous';

/** Resolves `name` as exported by `rec`; null if absent, 'ambiguous' on a star conflict. */
export function resolveExport(
  rec: ModuleRecord,
  name: string,
  seen: Map<ModuleRecord, Set<string>> = new Map(),
): Resolution {
  let names = seen.get(rec);
  if (!names) seen.set(rec, (names = new Set()));
  if (names.has(name)) return null; // circular import request
  names.add(name);
  if (rec.ownExports.has(name)) return { rec, name };
  if (name === 'default') return null;
  let found: Binding | null = null;
  for (const star of rec.stars) {
    const r = resolveExport(star, name, seen);
    if (r === 'ambiguous') return r;
    if (!r) continue;
    if (!found) found = r;
    else if (found.rec !== r.rec || found.name !== r.name) return 'ambiguous';
  }
  return found;
}

/** All names `rec` exports (own first, then star names except `default`), unresolved. */
export function exportedNames(rec: ModuleRecord, seen: Set<ModuleRecord> = new Set()): string[] {
  if (seen.has(rec)) return [];
  seen.add(rec);
  const names = new Set(rec.ownExports);
  for (const star of rec.stars) {
    for (const n of exportedNames(star, seen)) if (n !== 'default') names.add(n);
  }
  return [...names];
}

/** The names of `rec`'s namespace with their bindings, sorted like ESM (code units). */
export function namespaceBindings(rec: ModuleRecord): Array<[string, Binding]> {
  const out: Array<[string, Binding]> = [];
  for (const name of exportedNames(rec).sort()) {
    const r = resolveExport(rec, name);
    if (r && r !== 'ambiguous') out.push([name, r]);
  }
  return out;
}

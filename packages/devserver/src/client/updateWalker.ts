/**
 * Decides what a hot update does in this tab, from the modules it executed and the accept
 * calls that actually ran: walk from each changed module up through its importers until
 * every path stops at a boundary (a module that self-accepts, an importer that accepts
 * that dependency, or an `acceptExports` module whose importers only use accepted names).
 * A path that reaches a module nobody imports, or a module that declined, means a full
 * reload, with the chain that forced it. Every module walked through (and every
 * self-accepting boundary) is re-executed; importers that accept a dependency are not.
 */
import { displayId, formatChain } from './reloadReason.js';
import type { Registry } from './registry.js';
import type { ModuleRecord } from './types.js';

/** Where an update stops: `id` runs its accept callbacks for `accepted` (itself if equal). */
export interface Boundary {
  readonly id: string;
  readonly accepted: string;
}

export type UpdatePlan =
  | { readonly kind: 'reload'; readonly reason: string }
  | {
      readonly kind: 'hot';
      readonly boundaries: readonly Boundary[];
      /** Modules to re-execute, changed modules first, then upwards. */
      readonly reexec: readonly string[];
    };

/** Whether `importer` uses only names in `accepted` from module `id`. */
function importsOnly(importer: ModuleRecord, id: string, accepted: ReadonlySet<string>): boolean {
  const entry = importer.payload.imports.find((i) => i.id === id);
  if (!entry) return false; // no static import listed (dynamic edge): assume everything
  return entry.names.every((n) => n !== '*' && accepted.has(n));
}

/**
 * Plans an update of `changed` (loaded module ids). Ids in `invalidated` already run their
 * new code and asked to pass the update on: they are walked through, not re-executed, and
 * their own accept calls do not count.
 */
export function planUpdate(
  registry: Registry,
  changed: readonly string[],
  invalidated: ReadonlySet<string> = new Set(),
): UpdatePlan {
  const boundaries: Boundary[] = [];
  const reexec: string[] = [];
  const visited = new Set<string>();

  const deadEnd = (chain: string[], tail: string): string => {
    const first = chain[0];
    const what = invalidated.has(first)
      ? `${displayId(first)} invalidated its update and nothing above it accepts it`
      : `${displayId(first)} is not accepted`;
    return `${what} ${formatChain(chain, tail)}`;
  };

  const visit = (id: string, chain: string[]): string | null => {
    if (visited.has(id)) return null;
    visited.add(id);
    const rec = registry.get(id)!;
    const hot = rec.hot;
    if (rec.state !== 'evaluated') {
      return `${displayId(id)} ${rec.state === 'errored' ? 'failed when it ran' : 'has not finished evaluating'} ${formatChain(chain)}`;
    }
    if (hot?.declined) return `${displayId(id)} declined the update ${formatChain(chain)}`;
    const self = !invalidated.has(id);
    if (self) reexec.push(id);
    if (self && hot?.selfAccepted) {
      boundaries.push({ id, accepted: id });
      return null;
    }
    const partial = self ? hot?.acceptedExports : null;
    if (partial) boundaries.push({ id, accepted: id });
    const importers = registry.importersOf(id);
    if (importers.length === 0) {
      if (partial) return null;
      return deadEnd(chain, registry.entries.has(id) ? 'an entry' : 'which nothing imports');
    }
    for (const imp of importers) {
      const importer = registry.get(imp)!;
      if (importer.hot?.acceptsDep(id)) {
        boundaries.push({ id: imp, accepted: id });
        continue;
      }
      if (partial && importsOnly(importer, id, partial)) continue;
      if (chain.includes(imp)) continue; // a cycle: this path is already being walked
      const reason = visit(imp, [...chain, imp]);
      if (reason) return reason;
    }
    return null;
  };

  for (const id of changed) {
    const reason = visit(id, [id]);
    if (reason) return { kind: 'reload', reason };
  }
  return { kind: 'hot', boundaries, reexec };
}

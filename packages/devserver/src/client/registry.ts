/**
 * The registry of executed module instances of one tab: the current instance per id, who
 * imports whom (from the instances' import edges, so a module is an importer only while
 * its current code imports the other), the entries `load()` ran and the roots reached by
 * computed `import()` specifiers. The update walker reads it; only the loader and the
 * update applier write to it.
 */
import type { ModuleRecord } from './types.js';

export class Registry {
  private readonly records = new Map<string, ModuleRecord>();
  private readonly importers = new Map<string, Set<string>>();
  /** Ids passed to `load()`. */
  readonly entries = new Set<string>();
  /** Ids first reached through a computed `import()` specifier (no importer edge). */
  readonly roots = new Set<string>();

  get(id: string): ModuleRecord | undefined {
    return this.records.get(id);
  }

  has(id: string): boolean {
    return this.records.has(id);
  }

  get size(): number {
    return this.records.size;
  }

  ids(): string[] {
    return [...this.records.keys()];
  }

  /** Adds `rec`, or replaces the current instance of its id. */
  set(rec: ModuleRecord): void {
    const old = this.records.get(rec.id);
    if (old) this.removeEdges(old);
    this.records.set(rec.id, rec);
    for (const to of rec.edges) {
      let set = this.importers.get(to);
      if (!set) this.importers.set(to, (set = new Set()));
      set.add(rec.id);
    }
  }

  delete(id: string): void {
    const old = this.records.get(id);
    if (!old) return;
    this.removeEdges(old);
    this.records.delete(id);
  }

  /** Ids of loaded modules whose current instance imports `id`. */
  importersOf(id: string): string[] {
    return [...(this.importers.get(id) ?? [])];
  }

  /** An entry or a computed-import root: never pruned, the top of a walk. */
  isRoot(id: string): boolean {
    return this.entries.has(id) || this.roots.has(id);
  }

  private removeEdges(rec: ModuleRecord): void {
    for (const to of rec.edges) {
      const set = this.importers.get(to);
      if (!set) continue;
      set.delete(rec.id);
      if (set.size === 0) this.importers.delete(to);
    }
  }
}

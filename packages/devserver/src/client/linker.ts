/**
 * The link step of a freshly loaded (or hot-staged) set of records, run before any module
 * body: bind specifiers, compile factories, build namespaces and check that every imported
 * name exists, throwing Chromium's SyntaxError otherwise. Nothing of the set runs if any
 * check fails.
 */
import { resolveExport } from './exportResolution.js';
import { compileRecord, linkRecord, type CompileFn, type RecordLookup } from './moduleRecord.js';
import { createNamespace } from './namespace.js';
import type { ModuleRecord } from './types.js';

/** Chromium's link-time SyntaxError, plus the id of the importing module for the overlay. */
export class ModuleLinkError extends SyntaxError {
  constructor(
    message: string,
    readonly moduleId: string,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

/** The specifier `rec` wrote for dependency `id` (for messages), or the id. */
function specifierFor(rec: ModuleRecord, id: string): string {
  for (const [spec, target] of Object.entries(rec.payload.deps)) if (target === id) return spec;
  return id;
}

/** Throws the SyntaxError Chromium gives when an import of `rec` names a missing export. */
export function checkImports(rec: ModuleRecord, lookup: RecordLookup): void {
  for (const { id, names } of rec.payload.imports) {
    const target = lookup(id);
    if (!target) continue; // linkRecord already reported a missing static dependency
    for (const name of names) {
      if (name === '*') continue;
      const r = resolveExport(target, name);
      if (r === 'ambiguous') {
        throw new ModuleLinkError(
          `The requested module '${specifierFor(rec, id)}' contains conflicting star exports for name '${name}'`,
          rec.id,
        );
      }
      if (!r) {
        throw new ModuleLinkError(
          `The requested module '${specifierFor(rec, id)}' does not provide an export named '${name}'`,
          rec.id,
        );
      }
    }
  }
}

/**
 * Links `records` (all new, none run yet) against themselves and `lookup`. Native records
 * get their namespace later, when imported; their names are checked from the payload here
 * and again on the real namespace by `checkNativeImports`.
 */
export function linkRecords(records: ModuleRecord[], lookup: RecordLookup, compile: CompileFn): void {
  for (const rec of records) if (rec.kind === 'code') linkRecord(rec, lookup);
  for (const rec of records) compileRecord(rec, compile);
  for (const rec of records) if (rec.kind === 'code') rec.ns = createNamespace(rec);
  for (const rec of records) checkImports(rec, lookup);
}

/** After native imports resolved: the names code imports from them really exist. */
export function checkNativeImports(records: ModuleRecord[], lookup: RecordLookup): void {
  for (const rec of records) {
    for (const { id, names } of rec.payload.imports) {
      const target = lookup(id);
      if (!target || target.kind !== 'native') continue;
      for (const name of names) {
        if (name !== '*' && !(name in target.ns)) {
          throw new ModuleLinkError(
            `The requested module '${specifierFor(rec, id)}' does not provide an export named '${name}'`,
            rec.id,
          );
        }
      }
    }
  }
}

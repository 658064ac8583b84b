/**
 * What a module instance sees of its environment: `import.meta` (`url` = origin + id,
 * `resolve`, `env`, `hot`) and its `import()` function. Literal dynamic specifiers map
 * through the payload's `dynamicDeps`; computed ones resolve against the module's URL and
 * load that module's graph lazily (it becomes a root that is never pruned); bare ones
 * reject like Chromium; URLs of another origin are imported natively.
 */
import { HotContext, type HotHost } from './hotContext.js';
import type { Registry } from './registry.js';
import { GraphError } from './loader.js';
import { bareSpecifierError, importedIdFor, isResolvableSpecifier, resolveRelative } from './specifiers.js';
import type { DynamicImportFn, ModuleNamespace, ModuleRecord } from './types.js';

export interface MetaDeps {
  readonly origin: string;
  readonly env: Record<string, string | boolean>;
  readonly registry: Registry;
  readonly hotHost: HotHost;
  importById(id: string): Promise<ModuleNamespace>;
  importNative(url: string): Promise<ModuleNamespace>;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The `#fragment` of a URL-like specifier ('' if none): ids drop it, URLs keep it. */
function fragmentOf(spec: string): string {
  return spec.includes('#') && isResolvableSpecifier(spec) ? new URL(spec, 'http://devserver.invalid/').hash : '';
}

/**
 * What Chromium rejects `import()` with when the graph cannot be loaded: a SyntaxError for
 * a module that does not parse, a TypeError for one that cannot be fetched (the server's
 * errors stay on `cause`; the overlay shows them from the graph load itself).
 */
function asImportError(error: unknown, url: string): unknown {
  if (!(error instanceof GraphError)) return error;
  const first = error.errors[0];
  if (first?.code === 'ERR_SYNTAX') return new SyntaxError(first.message, { cause: error });
  return new TypeError(`Failed to fetch dynamically imported module: ${url}`, { cause: error });
}

/** The id `spec` names from `rec` (null if bare), and whether it came from the payload. */
function resolveFrom(
  rec: ModuleRecord,
  spec: string,
  origin: string,
): { id: string; literal: boolean } | { url: string } | null {
  const mapped = rec.payload.dynamicDeps[spec] ?? rec.payload.deps[spec];
  if (mapped) return { id: mapped, literal: true };
  if (SCHEME.test(spec)) {
    const url = new URL(spec);
    if (url.origin !== origin) return { url: url.href };
    return { id: url.pathname + url.search, literal: false };
  }
  const id = resolveRelative(spec, rec.id);
  return id === null ? null : { id, literal: false };
}

export function createMetaFactory(deps: MetaDeps) {
  const { origin, registry } = deps;

  function dynamicImport(rec: ModuleRecord): DynamicImportFn {
    return async (specifier) => {
      const spec = String(specifier);
      const target = resolveFrom(rec, spec, origin);
      if (!target) throw bareSpecifierError(spec);
      if ('url' in target) return deps.importNative(target.url);
      if (!target.literal && !registry.has(target.id)) registry.roots.add(target.id);
      try {
        return await deps.importById(target.id);
      } catch (error) {
        throw asImportError(error, origin + target.id);
      }
    };
  }

  function createMeta(rec: ModuleRecord): object {
    const hot = new HotContext(rec.id, deps.hotHost, (spec) => {
      const target = resolveFrom(rec, spec, origin);
      if (!target) return spec;
      if ('url' in target) return target.url;
      return target.literal ? target.id : importedIdFor(rec.payload, target.id);
    });
    rec.hot = hot;
    const meta = Object.create(null) as Record<string, unknown>;
    meta.url = origin + rec.id;
    meta.env = deps.env;
    meta.hot = hot;
    meta.resolve = (specifier: unknown): string => {
      const spec = String(specifier);
      const target = resolveFrom(rec, spec, origin);
      if (!target) throw bareSpecifierError(spec);
      return 'url' in target ? target.url : origin + target.id + fragmentOf(spec);
    };
    return meta;
  }

  return { createMeta, dynamicImport };
}

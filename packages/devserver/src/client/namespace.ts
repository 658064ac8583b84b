/**
 * Namespace objects for factory modules. The object is built at link time, before any
 * module body runs, with every export name in sorted order, a null prototype and
 * `Symbol.toStringTag` 'Module'; it is passed to the factory as `__vite_ssr_exports__`.
 *
 * Why not a Proxy: every imported binding is read as `ns.name`, in the app's hot paths, and
 * a Proxy trap costs several times a getter. Instead each own name starts as a placeholder
 * getter that throws the TDZ ReferenceError; the module body's own
 * `Object.defineProperty(__vite_ssr_exports__, name, { get })` then replaces it in place
 * (redefining keeps the key's position, so the order stays sorted) and reads go straight to
 * the module's local binding. Names that come through `export *` get a getter that reads
 * the source's namespace, so they are live too. The object is non-extensible from the
 * start, as a native namespace is even while its module runs (redefining existing keys is
 * still allowed); after evaluation every property is made non-configurable. The only
 * differences from a native namespace: descriptors report `get` instead of
 * `value`/`writable`, so `Object.isFrozen` is true where native says false, and
 * `Object.keys` does not throw for a name still in its TDZ.
 */
import { namespaceBindings } from './exportResolution.js';
import type { ModuleNamespace, ModuleRecord } from './types.js';

/** An empty namespace-shaped object (null prototype, 'Module' tag). */
export function emptyNamespace(): ModuleNamespace {
  const ns = Object.create(null) as ModuleNamespace;
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'Module' });
  return ns;
}

/** Builds the namespace of a linked factory record (its stars must be linked). */
export function createNamespace(rec: ModuleRecord): ModuleNamespace {
  const ns = Object.create(null) as ModuleNamespace;
  for (const [name, binding] of namespaceBindings(rec)) {
    const get =
      binding.rec === rec
        ? () => {
            throw new ReferenceError(`Cannot access '${name}' before initialization`);
          }
        : () => binding.rec.ns[binding.name];
    Object.defineProperty(ns, name, { get, enumerable: true, configurable: true });
  }
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'Module' });
  return Object.preventExtensions(ns);
}

/** Seals a namespace once its module has run: non-configurable, non-extensible. */
export function finalizeNamespace(ns: ModuleNamespace): void {
  for (const key of Object.keys(ns)) {
    Object.defineProperty(ns, key, { configurable: false });
  }
  Object.preventExtensions(ns);
}

/** Builds a finished namespace from plain values (built-in modules). */
export function namespaceFromValues(values: Record<string, unknown>): ModuleNamespace {
  const ns = Object.create(null) as ModuleNamespace;
  for (const name of Object.keys(values).sort()) {
    Object.defineProperty(ns, name, { value: values[name], enumerable: true, writable: true });
  }
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'Module' });
  return Object.preventExtensions(ns);
}

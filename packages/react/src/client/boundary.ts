/**
 * The Fast Refresh boundary rule, as pure functions so it is unit-tested without a browser.
 *
 * Fast Refresh can swap a module in place only if every importer keeps working with the
 * new version *without re-running*: importers hold the old export values, and React
 * resolves component values to their latest implementation through its families, but it
 * can do nothing for a constant, a helper function or a context object. So:
 *  - a module becomes a boundary (self-accepts) when it exports at least one component;
 *    a module that exports only non-components (a hook, a utility) is not one, and its
 *    updates go on to its importers as usual;
 *  - when an update arrives, the new version is checked against the old one: every export
 *    must still be a component, or be the very same value as before (`===`); exports must
 *    not appear or disappear. Otherwise the module invalidates, with a message naming the
 *    export, and its importers re-run instead (see docs/framework-integration.md).
 */

/** Decides whether a value is a React component (react-refresh's `isLikelyComponentType`). */
export type IsComponent = (value: unknown) => boolean;

/** A module namespace (or any object whose own enumerable keys are its exports). */
export type Exports = Readonly<Record<string, unknown>>;

/** The export names of a namespace, in its own order. */
function exportNames(exports: Exports): string[] {
  return Object.keys(exports);
}

/**
 * Reads one export; a binding still in its temporal dead zone (a cycle) reads as
 * `undefined`, which no rule treats as a component.
 */
function read(exports: Exports, name: string): unknown {
  try {
    return exports[name];
  } catch {
    return undefined;
  }
}

/**
 * Whether a module with these exports should self-accept (it exports a component).
 *
 * @example
 * isRefreshBoundary({ default: function App() {} }, isLikelyComponentType) // true
 * isRefreshBoundary({ useCount() {} }, isLikelyComponentType) // false
 */
export function isRefreshBoundary(exports: Exports, isComponent: IsComponent): boolean {
  return exportNames(exports).some((name) => isComponent(read(exports, name)));
}

/**
 * Why the update from `prev` to `next` cannot be a Fast Refresh (the message names the
 * export at fault), or null when it can.
 *
 * @example
 * refreshBlocker({ App, LIMIT: 1 }, { App: App2, LIMIT: 2 }, isComponent)
 * // 'Could not Fast Refresh ("LIMIT" export is not a component and its value changed) ...'
 */
export function refreshBlocker(prev: Exports, next: Exports, isComponent: IsComponent): string | null {
  const before = exportNames(prev);
  const after = exportNames(next);
  const removed = before.find((name) => !after.includes(name));
  if (removed !== undefined) return `Could not Fast Refresh ("${removed}" export was removed); its importers run again instead.`;
  const added = after.find((name) => !before.includes(name));
  if (added !== undefined) return `Could not Fast Refresh ("${added}" export is new); its importers run again instead.`;
  if (after.length === 0) return 'Could not Fast Refresh (the module has no exports); its importers run again instead.';
  for (const name of after) {
    const value = read(next, name);
    if (isComponent(value) || value === read(prev, name)) continue;
    return (
      `Could not Fast Refresh ("${name}" export is not a component and its value changed); ` +
      'its importers run again instead. Keep components and other exports in separate files to keep state.'
    );
  }
  return null;
}

/**
 * The registration ids of a module's exported components, so that React can match a
 * component exported under a name it could not see at compile time (e.g. `export default
 * memo(...)`) across versions. Mirrors what the transform does for declarations.
 *
 * @example
 * componentExports('/src/App.tsx', { default: App, LIMIT: 1 }, isComponent)
 * // [[App, '/src/App.tsx export default']]
 */
export function componentExports(moduleKey: string, exports: Exports, isComponent: IsComponent): Array<[unknown, string]> {
  const out: Array<[unknown, string]> = [];
  for (const name of exportNames(exports)) {
    const value = read(exports, name);
    if (isComponent(value)) out.push([value, `${moduleKey} export ${name}`]);
  }
  return out;
}

/**
 * Which modules get React Fast Refresh, and the footer appended to them.
 *
 * The registration itself (`$RefreshReg$(_c, "App")`, `$RefreshSig$()` for hooks) is done by
 * devserver's own JSX transform (oxc-transform `jsx.refresh`), which this plugin turns on
 * with the `jsxRefresh` plugin field: one parse, and source maps stay exact. The plugin's
 * `transform` hook runs before it, on the source as written, and appends the footer:
 *  - it declares `$RefreshReg$`/`$RefreshSig$` as module-local *function declarations*, so
 *    they are hoisted above the `var _s = $RefreshSig$()` lines the transform puts at the
 *    top, and concurrent modules never swap a shared global;
 *  - it calls `setupModule(import.meta.hot, import.meta.url, <the module's exports>)`, which
 *    registers exported components and applies the boundary rule (src/client/boundary.ts).
 * The footer goes *after* the last line, so every original line keeps its position and the
 * core's source map stays right.
 *
 * A module's own namespace is `__vite_ssr_exports__`, the factory parameter of devserver's
 * module format (oxc `moduleRunnerTransform`, as in Vite's module runner); `import(import.meta.url)`,
 * what @vitejs/plugin-react uses, is asynchronous, so the accept call would not run while
 * the module evaluates.
 */

/** Specifier of the helper module the footer imports (resolved by the plugin). */
export const HELPER_SPECIFIER = 'virtual:@devserver/react/refresh';
/** Rollup-style virtual id of that module. */
export const HELPER_ID = '\0virtual:@devserver/react/refresh.js';
/** URL of the refresh runtime, served natively (see refreshRuntime.ts in src/client). */
export const RUNTIME_PATH = '/@react-refresh';
/** Global the preamble sets; must match GLOBAL_NAME in src/client/refreshRuntime.ts. */
export const RUNTIME_GLOBAL = '__DEVSERVER_REACT_REFRESH__';

export interface RefreshFilter {
  /** Modules that get Fast Refresh (tested on the path, query excluded). Default: `.jsx`, `.tsx`. */
  include?: RegExp;
  /** Modules that never do. Default: anything under `node_modules`. */
  exclude?: RegExp;
}

const DEFAULT_INCLUDE = /\.[jt]sx$/;
const DEFAULT_EXCLUDE = /[\\/]node_modules[\\/]/;

/**
 * The predicate both the core transform (`jsxRefresh`, called with module ids such as
 * `/src/App.tsx`) and the footer (`transform`, called with absolute paths) use, so a module
 * never gets one without the other. Ids with a query (`?raw`, `?url`) and virtual modules
 * are never refreshed.
 *
 * @example
 * const refreshes = createRefreshFilter({});
 * refreshes('/src/App.tsx') // true
 * refreshes('/src/store.ts') // false
 */
export function createRefreshFilter(options: RefreshFilter): (id: string) => boolean {
  const include = options.include ?? DEFAULT_INCLUDE;
  const exclude = options.exclude ?? DEFAULT_EXCLUDE;
  return (id) => {
    if (id.includes('?') || id.startsWith('\0') || id.includes('__x00__')) return false;
    return include.test(id) && !exclude.test(id);
  };
}

/** The code appended to a refreshed module (plain JS, valid in TS and JSX files too). */
export function refreshFooter(): string {
  return [
    '',
    '// @devserver/react: React Fast Refresh',
    `import * as __devserver_react_refresh__ from ${JSON.stringify(HELPER_SPECIFIER)};`,
    'function $RefreshReg$(type, id) { __devserver_react_refresh__.register(type, import.meta.url, id); }',
    'function $RefreshSig$() { return __devserver_react_refresh__.createSignatureFunctionForTransform(); }',
    '__devserver_react_refresh__.setupModule(import.meta.hot, import.meta.url, typeof __vite_ssr_exports__ === "object" ? __vite_ssr_exports__ : undefined);',
    '',
  ].join('\n');
}

/**
 * The source of the helper module: the refresh API the preamble published, or a clear
 * error when the page was not served through devserver's HTML transform.
 */
export function helperModuleSource(): string {
  return [
    `const api = globalThis[${JSON.stringify(RUNTIME_GLOBAL)}];`,
    'if (!api) {',
    `  throw new Error("[@devserver/react] React Fast Refresh is not set up: the preamble that loads ${RUNTIME_PATH} did not run before this module. Serve the page's HTML through devserver (server.transformIndexHtml) so the preamble is injected.");`,
    '}',
    'export const register = api.register;',
    'export const createSignatureFunctionForTransform = api.createSignatureFunctionForTransform;',
    'export const setupModule = api.setupModule;',
    '',
  ].join('\n');
}

/** The inline module script that must run before React loads (no top-level await). */
export function preambleCode(): string {
  return `import { install } from ${JSON.stringify(RUNTIME_PATH)}; install(window);`;
}

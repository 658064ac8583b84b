/**
 * The browser side of @devserver/react, served as one native ES module at `/@react-refresh`
 * (react-refresh's runtime bundled in, built by scripts/build.mjs).
 *
 * Why native and not a registry module: the preamble must hook React's DevTools global
 * before react-dom evaluates, and react-dom is imported natively when the entry's graph is
 * linked, before any registry module runs. A plain `<script type="module">` placed before
 * the entry scripts (and without top-level await) finishes before the next one starts, so
 * the preamble imports this file and calls `install(window)`.
 *
 * Component modules (registry modules) reach the same instance through the global that
 * `install` sets: the `virtual:@devserver/react/refresh` module re-exports it, and the
 * footer the plugin appends to each JSX/TSX module calls `register`,
 * `createSignatureFunctionForTransform` and `setupModule` from there.
 */
import * as RefreshRuntime from 'react-refresh/runtime';
import type { DevServerHotContext, ModuleNamespace } from 'devserver/client';
import { componentExports, isRefreshBoundary, refreshBlocker, type Exports } from './boundary.js';
import { createRefreshScheduler } from './refreshScheduler.js';

/** Name of the global the preamble sets (read by the virtual helper module). */
export const GLOBAL_NAME = '__DEVSERVER_REACT_REFRESH__';

const isComponent = (value: unknown): boolean => RefreshRuntime.isLikelyComponentType(value);

let refreshCount = 0;
const scheduler = createRefreshScheduler(
  () => {
    refreshCount++;
    RefreshRuntime.performReactRefresh();
  },
  (error) => console.error('[@devserver/react] Fast Refresh failed:', error),
);

/** `$RefreshReg$` of a module: registers a component under "<module url> <name>". */
function register(type: unknown, moduleKey: string, name: string): void {
  RefreshRuntime.register(type, `${moduleKey} ${name}`);
}

/**
 * Called by the footer of every refresh-transformed module once its body has run: registers
 * its exported components and, if it is a boundary, self-accepts with the boundary rule.
 */
function setupModule(hot: DevServerHotContext | undefined, moduleKey: string, exports: Exports | undefined): void {
  if (!hot) return;
  if (!exports) {
    console.warn(`[@devserver/react] ${moduleKey}: cannot see this module's exports, so it is not a Fast Refresh boundary.`);
    return;
  }
  for (const [type, id] of componentExports(moduleKey, exports, isComponent)) RefreshRuntime.register(type, id);
  if (!isRefreshBoundary(exports, isComponent)) return;
  hot.accept((next: ModuleNamespace | undefined) => {
    if (!next) return; // the new version failed to load: the overlay says why, the page stays
    const blocker = refreshBlocker(exports, next, isComponent);
    if (blocker) hot.invalidate(blocker);
    else scheduler.enqueue();
  });
}

/** What registry modules use (through the virtual helper module). */
export interface RefreshApi {
  register: typeof register;
  createSignatureFunctionForTransform: typeof RefreshRuntime.createSignatureFunctionForTransform;
  setupModule: typeof setupModule;
  /** How many times `performReactRefresh` ran (diagnostics and tests). */
  readonly refreshCount: number;
}

const api: RefreshApi = {
  register,
  createSignatureFunctionForTransform: RefreshRuntime.createSignatureFunctionForTransform,
  setupModule,
  get refreshCount() {
    return refreshCount;
  },
};

/**
 * The preamble: hooks React's renderer before it loads and publishes the API. Safe to call
 * twice. `$RefreshReg$`/`$RefreshSig$` globals are no-ops for code compiled with refresh
 * elsewhere (modules transformed here declare their own).
 *
 * @example
 * <script type="module">import { install } from "/@react-refresh"; install(window);</script>
 */
export function install(win: object): void {
  const slots = win as Record<string, unknown>;
  if (slots[GLOBAL_NAME]) return;
  RefreshRuntime.injectIntoGlobalHook(win);
  slots.$RefreshReg$ = () => {};
  slots.$RefreshSig$ = () => (type: unknown) => type;
  slots[GLOBAL_NAME] = api;
}

// The module also exposes react-refresh's own API, as Vite's `/@react-refresh` does.
export const { injectIntoGlobalHook, createSignatureFunctionForTransform, performReactRefresh, isLikelyComponentType, getFamilyByType } =
  RefreshRuntime;
const registerFamily = RefreshRuntime.register;
export { registerFamily as register };

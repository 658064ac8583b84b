/**
 * @devserver/react: React Fast Refresh for devserver.
 *
 * What the plugin does, hook by hook:
 *  - `jsxRefresh`: turns on Fast Refresh registration in devserver's JSX transform for
 *    `.jsx`/`.tsx` modules outside node_modules;
 *  - `transform`: appends the footer that declares `$RefreshReg$`/`$RefreshSig$` and applies
 *    the boundary rule (src/node/refreshTransform.ts, src/client/boundary.ts);
 *  - `resolveId`/`load`: the virtual helper module the footer imports;
 *  - `configureServer`: serves the refresh runtime at `/@react-refresh`;
 *  - `transformIndexHtml`: injects the preamble, a native module script placed before the
 *    page's entry scripts, so React's DevTools hook exists before react-dom loads.
 * See docs/framework-integration.md for the design and the boundary rule.
 */
import type { Plugin } from 'devserver';
import { refreshRuntimeMiddleware } from './runtimeMiddleware.js';
import {
  createRefreshFilter,
  helperModuleSource,
  preambleCode,
  refreshFooter,
  HELPER_ID,
  HELPER_SPECIFIER,
  type RefreshFilter,
} from './refreshTransform.js';

export interface ReactPluginOptions extends RefreshFilter {}

/**
 * Creates the plugin.
 * @example
 * // devserver.config.ts
 * import { defineConfig } from 'devserver';
 * import react from '@devserver/react';
 * export default defineConfig({ plugins: [react()] });
 */
export default function react(options: ReactPluginOptions = {}): Plugin {
  const refreshes = createRefreshFilter(options);
  const footer = refreshFooter();
  return {
    name: '@devserver/react',
    jsxRefresh: refreshes,
    resolveId(source) {
      return source === HELPER_SPECIFIER ? HELPER_ID : null;
    },
    load(id) {
      return id === HELPER_ID ? helperModuleSource() : null;
    },
    transform(code, id) {
      if (!refreshes(id)) return null;
      return code + footer;
    },
    configureServer(server) {
      server.middlewares.use(refreshRuntimeMiddleware());
    },
    transformIndexHtml() {
      return [{ tag: 'script', attrs: { type: 'module' }, children: preambleCode(), injectTo: 'head-prepend' }];
    },
  };
}

export { react };
export { createRefreshFilter, refreshFooter, HELPER_SPECIFIER, RUNTIME_PATH } from './refreshTransform.js';

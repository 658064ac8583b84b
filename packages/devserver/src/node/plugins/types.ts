/**
 * The plugin interface: Vite/Rollup hook names and shapes where they apply, so what people
 * know from those carries over. Hooks run in order: `enforce: 'pre'`, normal, `'post'`.
 */
import type { ResolvedConfig, UserConfig } from '../config/types.js';
import type { DevServer } from '../server.js';
import type { ServerMessage } from '../../shared/protocol.js';

export type Awaitable<T> = T | Promise<T>;

export interface TransformResult {
  code: string;
  map?: string | object | null;
}

export interface HmrContext {
  /** Absolute path of the changed file. */
  file: string;
  timestamp: number;
  /** Module ids built from this file; return a narrower list to change the update. */
  modules: Array<{ id: string }>;
  read(): Promise<string>;
  server: DevServer;
}

export interface IndexHtmlTransformContext {
  /** URL path of the page. */
  path: string;
  filename: string;
  server: DevServer;
}

export type HtmlTagDescriptor = {
  tag: string;
  attrs?: Record<string, string | boolean>;
  children?: string;
  injectTo?: 'head' | 'body' | 'head-prepend' | 'body-prepend';
};

export interface PluginContext {
  /** Resolve an import as the server would, through all plugins. */
  resolve(source: string, importer?: string): Promise<{ id: string } | null>;
  /** Report a warning in the terminal, tagged with the plugin name. */
  warn(message: string): void;
  /** Throw an error that carries the plugin name to the overlay and terminal. */
  error(message: string, loc?: { line: number; column: number }): never;
  /** Make the module depend on a file it does not import (re-transform when it changes). */
  addWatchFile(file: string): void;
}

export interface Plugin {
  name: string;
  enforce?: 'pre' | 'post';
  config?: (config: UserConfig, env: { mode: string; command: 'serve' }) => Awaitable<UserConfig | void | null>;
  configResolved?: (config: ResolvedConfig) => Awaitable<void>;
  /** Runs before internal middlewares are installed; return a function to run after. */
  configureServer?: (server: DevServer) => Awaitable<void | (() => Awaitable<void>)>;
  buildStart?: (this: PluginContext) => Awaitable<void>;
  resolveId?: (
    this: PluginContext,
    source: string,
    importer: string | undefined,
  ) => Awaitable<string | { id: string; external?: boolean } | null | undefined | false>;
  load?: (this: PluginContext, id: string) => Awaitable<string | TransformResult | null | undefined>;
  transform?: (
    this: PluginContext,
    code: string,
    id: string,
  ) => Awaitable<string | TransformResult | null | undefined>;
  /**
   * Runs on each page's HTML. Hooks of `enforce: 'pre'` plugins run before devserver's own
   * HTML processing (their module scripts become registry entries, like the page's); all
   * others run after it (Vite's default order), so the tags they inject reach the browser
   * as written, e.g. a native `<script type="module">` that must run before the entries.
   */
  transformIndexHtml?: (
    html: string,
    ctx: IndexHtmlTransformContext,
  ) => Awaitable<string | HtmlTagDescriptor[] | { html: string; tags: HtmlTagDescriptor[] } | null | void>;
  handleHotUpdate?: (ctx: HmrContext) => Awaitable<Array<{ id: string }> | void>;
  /**
   * React Fast Refresh registration in devserver's JSX transform (oxc-transform
   * `jsx.refresh`: `$RefreshReg$`/`$RefreshSig$` calls) for the modules it returns true for.
   * `id` is the module id (URL path: `/src/App.tsx`, `/@fs/...` outside the root). Set by
   * framework plugins such as `@devserver/react`, which also provide those two functions.
   */
  jsxRefresh?: (id: string) => boolean;
  closeBundle?: () => Awaitable<void>;
}

export type { ServerMessage };

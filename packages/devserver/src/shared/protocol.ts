/**
 * The wire contract between the devserver process and the browser runtime: what a module
 * looks like when it is delivered, and the websocket messages in each direction. One
 * discriminated union per direction, so both sides are checked against the same types.
 */

/** What the served HTML passes to the runtime's `start()`. */
export interface ClientConfig {
  /** Per-server websocket token. */
  token: string;
  /** Identifies the server's graph; a different one on reconnect means reload. */
  buildId: string;
  /** Public base path of the app (`/`, `/app/`): server endpoints live under it. */
  base: string;
  /** `import.meta.env` of every module. */
  env: Record<string, string | boolean>;
  /** Show the error overlay (`server.overlay`). */
  overlay: boolean;
  wsPath: string;
  subprotocol: string;
  /** The HTML file this tab shows (`/index.html`, also for SPA fallback routes). */
  page: string;
  /** Last update sequence number the page's HTML reflects; -1 or absent if unknown. */
  seq?: number;
}

/** How a changed file is applied in the browser. */
export type ModuleKind = 'js' | 'css' | 'asset' | 'html';

/**
 * One module as the runtime receives it. `code` evaluates (indirect eval) to the factory;
 * it carries its own `//# sourceURL` and inline source map.
 */
export interface ModulePayload {
  /** URL path from the root, `/src/a.ts`; dependencies are `/@deps/…` ids. */
  id: string;
  /** Content hash of this version. */
  hash: string;
  /** Static import specifiers as written -> resolved module id. */
  deps: Record<string, string>;
  /** Literal dynamic import specifiers as written -> resolved module id. */
  dynamicDeps: Record<string, string>;
  /** What this module imports from each dependency, for the link check ('*' = namespace). */
  imports: Array<{ id: string; names: string[] }>;
  /** Export names this module declares itself, `default` included. */
  exports: string[];
  /** Ids re-exported with `export * from`. */
  stars: string[];
  /** The module body contains top-level await. */
  tla: boolean;
  /**
   * Factory source. For `external` modules (pre-bundled dependencies) this is empty and
   * `url` is imported natively instead.
   */
  code: string;
  /** Set for modules the browser loads as native ESM (pre-bundled dependencies). */
  url?: string;
}

/** Answer of the graph and modules endpoints. */
export interface GraphPayload {
  modules: ModulePayload[];
  /** Module ids that failed to transform; the runtime shows their errors. */
  errors: ErrorPayload[];
}

export interface ChangedModule {
  id: string;
  hash: string;
  kind: ModuleKind;
}

/** Everything the overlay and the terminal show for one error. */
export interface ErrorPayload {
  /** One line: what went wrong. */
  message: string;
  code: string;
  /** Module id (URL path) or file the error is in. */
  id?: string;
  file?: string;
  loc?: { line: number; column: number };
  /** Source lines around `loc` with a caret, plain text. */
  frame?: string;
  /** Importers from the failed module up to an entry, nearest first. */
  importerChain?: string[];
  plugin?: string;
  stack?: string;
  hint?: string;
}

export type ServerMessage =
  | {
      type: 'connected';
      /** Identifies this server's graph; a tab from an older server must reload. */
      buildId: string;
      /** Last sequence number the server sent. */
      seq: number;
    }
  | {
      type: 'update';
      seq: number;
      /** Hash over the whole build after this change set. */
      hash: string;
      changed: ChangedModule[];
      /** Modules whose files were deleted. A failed build never lists modules here. */
      removed: string[];
      /** Time the first file event of this change set was seen (server clock, ms). */
      eventAt?: number;
      /**
       * The new versions of changed modules, when small: a tab that needs them skips the
       * fetch (one round trip less on the HMR path); anything missing is fetched.
       */
      modules?: ModulePayload[];
    }
  | {
      type: 'full-reload';
      seq: number;
      reason: string;
      /** Only tabs showing this page reload; absent means every tab. */
      page?: string;
    }
  | { type: 'error'; seq: number; error: ErrorPayload }
  | { type: 'error-cleared'; seq: number; id: string }
  | { type: 'custom'; event: string; data: unknown };

export type ClientMessage =
  | {
      type: 'hello';
      buildId: string | null;
      lastSeq: number;
      page: string;
    }
  | { type: 'custom'; event: string; data: unknown }
  | { type: 'invalidate'; id: string; message?: string }
  /** A tab applied an update: which modules accepted it, and how long the tab took. */
  | { type: 'applied'; seq: number; boundaries: string[]; ms: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/**
 * Types for code served by devserver: `import.meta.hot`, `import.meta.env` and the custom
 * events of the HMR runtime. Add `"types": ["devserver/client"]` to tsconfig, or
 * `/// <reference types="devserver/client" />` in a .d.ts of the app.
 *
 * The API is Vite's (`ViteHotContext`), so code written for Vite type-checks unchanged.
 * `ModuleNamespace` and `data` use `any` on purpose, as Vite does: they hold whatever the
 * user's modules export or keep, and code written for Vite relies on that.
 */

/** A module namespace as the accept callbacks receive it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModuleNamespace = Record<string, any> & { [Symbol.toStringTag]: 'Module' };

/** One boundary of a hot update, as `beforeUpdate`/`afterUpdate` report it (Vite's shape). */
export interface Update {
  type: 'js-update' | 'css-update';
  /** The module whose accept callback runs (or the stylesheet swapped). */
  path: string;
  /** The module that was accepted (the boundary itself for self-accepting modules). */
  acceptedPath: string;
  timestamp: number;
  explicitImportRequired: boolean;
  isWithinCircularImport: boolean;
}

export interface UpdatePayload {
  type: 'update';
  updates: Update[];
}

export interface FullReloadPayload {
  type: 'full-reload';
  /** Why the page reloads, with the import chain that forced it. */
  reason: string;
  path?: string;
  triggeredBy?: string;
}

export interface PrunePayload {
  type: 'prune';
  paths: string[];
}

export interface ErrorPayload {
  type: 'error';
  err: {
    message: string;
    stack: string;
    id?: string;
    frame?: string;
    plugin?: string;
    loc?: { file?: string; line: number; column: number };
    [name: string]: unknown;
  };
}

export interface InvalidatePayload {
  path: string;
  message: string | undefined;
}

export interface ConnectionPayload {
  webSocket: WebSocket;
}

type BuiltinEvents = {
  beforeUpdate: UpdatePayload;
  afterUpdate: UpdatePayload;
  beforeFullReload: FullReloadPayload;
  beforePrune: PrunePayload;
  error: ErrorPayload;
  invalidate: InvalidatePayload;
  'ws:connect': ConnectionPayload;
  'ws:disconnect': ConnectionPayload;
};

/** `devserver:backend-restarted`: the `--backend` process was swapped (see the README). */
export interface BackendRestartedPayload {
  /** Process generation now serving, counting from 1. */
  generation: number;
  /** Time from the change to the new process serving. */
  ms: number;
  /** What caused it: a file change, a crash, a manual restart. */
  cause: string;
}

/** Payload types of known events; extend it by declaration merging for your own events. */
export type CustomEventMap = {
  [K in keyof BuiltinEvents as `devserver:${K}`]: BuiltinEvents[K];
} & {
  'devserver:backend-restarted': BackendRestartedPayload;
} & {
  [K in keyof BuiltinEvents as `vite:${K}`]: BuiltinEvents[K];
};

export type InferCustomEventPayload<T extends string> = T extends keyof CustomEventMap
  ? CustomEventMap[T]
  : // eslint-disable-next-line @typescript-eslint/no-explicit-any
    any;

/** `import.meta.hot`: present in every module devserver serves, `undefined` in production. */
export interface DevServerHotContext {
  /** One object per module id, kept across re-executions; cleared after prune. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly data: any;
  /** Self-accept: updates of this module stop here. */
  accept(): void;
  accept(cb: (mod: ModuleNamespace | undefined) => void): void;
  /** Accept updates of a direct dependency (specifier as in the import). */
  accept(dep: string, cb: (mod: ModuleNamespace | undefined) => void): void;
  /** Accept several dependencies; the updated slots of the array are filled. */
  accept(deps: readonly string[], cb: (mods: Array<ModuleNamespace | undefined>) => void): void;
  /** Self-accept as long as importers only use these exports. */
  acceptExports(
    exportNames: string | readonly string[],
    cb?: (mod: ModuleNamespace | undefined) => void,
  ): void;
  /** Runs with `data` before this instance is replaced or pruned. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  dispose(cb: (data: any) => void): void;
  /** Runs when no module imports this one any more (after dispose). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  prune(cb: (data: any) => void): void;
  /** An update reaching this module reloads the page. */
  decline(): void;
  /** Pass the current update on to the importers of this module. */
  invalidate(message?: string): void;
  on<T extends string>(event: T, cb: (payload: InferCustomEventPayload<T>) => void): void;
  off<T extends string>(event: T, cb: (payload: InferCustomEventPayload<T>) => void): void;
  /** Sends a custom event to the server (buffered until the socket is open). */
  send<T extends string>(event: T, data?: InferCustomEventPayload<T>): void;
}

/** Vite's name for the same API. */
export type ViteHotContext = DevServerHotContext;

declare global {
  interface ImportMetaEnv {
    readonly [key: string]: string | boolean | undefined;
    readonly MODE: string;
    readonly BASE_URL: string;
    readonly DEV: boolean;
    readonly PROD: boolean;
    readonly SSR: boolean;
  }

  interface ImportMeta {
    url: string;
    readonly hot?: DevServerHotContext;
    readonly env: ImportMetaEnv;
    resolve(specifier: string): string;
  }
}

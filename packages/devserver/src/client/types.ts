/**
 * Types shared by the pieces of the browser runtime: the config the served HTML passes to
 * `start()`, module records (one executed instance of one module version) and the small
 * interfaces the runtime is built from, so tests can hand in fakes for the network, the
 * socket, the page and the overlay instead of touching globals.
 */
import type { ClientMessage, ErrorPayload, GraphPayload, ModulePayload } from '../shared/protocol.js';
import type { HotContext } from './hotContext.js';

export type { ClientConfig } from '../shared/protocol.js';

/** A module namespace object as seen by code: null prototype, sorted keys, 'Module' tag. */
export type ModuleNamespace = Record<string, unknown>;

/** `__vite_ssr_import__(spec, { importedNames })`. */
export type StaticImportFn = (spec: string, options?: { importedNames?: string[] }) => unknown;
/** `__vite_ssr_dynamic_import__(spec)`. */
export type DynamicImportFn = (spec: unknown, options?: unknown) => Promise<ModuleNamespace>;

/** What a module's code string evaluates to (oxc `moduleRunnerTransform` output, wrapped). */
export type ModuleFactory = (
  exports: ModuleNamespace,
  meta: object,
  ssrImport: StaticImportFn,
  dynamicImport: DynamicImportFn,
  exportAll: (ns: unknown) => void,
) => Promise<void>;

export type RecordState = 'linking' | 'evaluating' | 'evaluated' | 'errored';

/** `code`: a factory we run; `native`: a pre-bundled dependency; `builtin`: provided here. */
export type RecordKind = 'code' | 'native' | 'builtin';

/** Per-evaluation bookkeeping, owned by the evaluator. */
export interface RunState {
  /** Settles when the module finished (or failed) evaluating. */
  done: Promise<void>;
  /** Resolves when the parent may go on to the next sibling (sync part ran). */
  ready: Promise<void>;
  async: boolean;
}

/** One executed instance of one version of a module. */
export interface ModuleRecord {
  readonly id: string;
  readonly hash: string;
  readonly kind: RecordKind;
  readonly payload: ModulePayload;
  /** Counts instances of this id (1 for the first load, +1 per hot re-execution). */
  readonly version: number;
  /** The namespace; for `native` records it is replaced by the real one once imported. */
  ns: ModuleNamespace;
  /** Names this module declares itself (local and indirect exports). */
  readonly ownExports: ReadonlySet<string>;
  /** `export * from` sources, linked. */
  stars: ModuleRecord[];
  /** Static dependencies in source order, each once, linked. */
  requested: ModuleRecord[];
  /** Specifier as written -> linked record. */
  bySpec: Map<string, ModuleRecord>;
  /** Ids this module's code imports statically or with a literal `import()`. */
  readonly edges: readonly string[];
  /** Static import specifiers in the order the factory calls them. */
  readonly importOrder: readonly string[];
  factory?: ModuleFactory;
  hot?: HotContext;
  state: RecordState;
  error?: unknown;
  /** The error was thrown by this module's own body (not passed on from a dependency). */
  threw?: boolean;
  run?: RunState;
  /** Dispose handlers already ran (a failed update leaves the instance in place). */
  disposed: boolean;
}

/** The network: GET a JSON `GraphPayload`. */
export type FetchJson = (url: string) => Promise<GraphPayload>;

/** What the runtime shows to a person; the real one is the overlay custom element. */
export interface RuntimeUI {
  /** Replace what the overlay shows (several errors at once); an empty list hides it. */
  showErrors(errors: ErrorPayload[]): void;
  /** The websocket dropped (true) or came back (false). */
  setConnectionLost(lost: boolean): void;
}

/** The console methods the runtime uses (injectable to keep tests quiet). */
export interface RuntimeConsole {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  debug(...args: unknown[]): void;
}

/** Sends a message to the server (buffered by the socket while it is closed). */
export type SendMessage = (msg: ClientMessage) => void;

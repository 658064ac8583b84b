/**
 * `import.meta.hot` of one module instance: records what the module's code actually called
 * (accept forms, acceptExports, dispose, prune, decline, listeners), so that only accept
 * calls that ran make a boundary. The update walker and applier read this state; the
 * callbacks registered by an instance are called when that instance is replaced.
 */
import type { DevServerHotContext, InferCustomEventPayload, ModuleNamespace } from '../../client.js';
import type { HotEvents, HotListener } from './hotEvents.js';

type ModCallback = (mod: ModuleNamespace | undefined) => void;
type ModsCallback = (mods: Array<ModuleNamespace | undefined>) => void;
type DataCallback = (data: Record<string, unknown>) => void;

/** One `accept(dep(s), cb)` registration, with specifiers resolved to ids. */
export interface DepAccept {
  readonly ids: readonly string[];
  readonly array: boolean;
  readonly callback: ModsCallback | ModCallback | undefined;
}

/** What a hot context needs from the runtime. */
export interface HotHost {
  readonly events: HotEvents;
  /** The `data` object of a module id (same object across re-executions). */
  data(id: string): Record<string, unknown>;
  invalidate(id: string, message: string | undefined): void;
  send(event: string, data: unknown): void;
}

export class HotContext implements DevServerHotContext {
  /** `accept()`/`accept(cb)` ran. */
  selfAccepted = false;
  readonly selfCallbacks: ModCallback[] = [];
  /** Union of the names of every `acceptExports` call that ran, or null. */
  acceptedExports: Set<string> | null = null;
  readonly depAccepts: DepAccept[] = [];
  readonly disposeCallbacks: DataCallback[] = [];
  readonly pruneCallbacks: DataCallback[] = [];
  declined = false;
  private readonly listeners: Array<[string, HotListener]> = [];

  constructor(
    readonly id: string,
    private readonly host: HotHost,
    private readonly resolve: (spec: string) => string,
  ) {}

  get data(): Record<string, unknown> {
    return this.host.data(this.id);
  }

  accept(): void;
  accept(cb: ModCallback): void;
  accept(dep: string, cb: ModCallback): void;
  accept(deps: readonly string[], cb: ModsCallback): void;
  accept(deps?: string | readonly string[] | ModCallback, cb?: ModCallback | ModsCallback): void {
    if (deps === undefined || typeof deps === 'function') {
      this.selfAccepted = true;
      if (deps) this.selfCallbacks.push(deps);
    } else if (typeof deps === 'string') {
      this.depAccepts.push({ ids: [this.resolve(deps)], array: false, callback: cb });
    } else if (Array.isArray(deps)) {
      const ids = (deps as readonly string[]).map((d) => this.resolve(d));
      this.depAccepts.push({ ids, array: true, callback: cb });
    } else {
      throw new TypeError('[devserver] invalid import.meta.hot.accept() usage');
    }
  }

  acceptExports(exportNames: string | readonly string[], cb?: ModCallback): void {
    const names = typeof exportNames === 'string' ? [exportNames] : exportNames;
    this.acceptedExports ??= new Set();
    for (const n of names) this.acceptedExports.add(n);
    if (cb) this.selfCallbacks.push(cb);
  }

  dispose(cb: DataCallback): void {
    this.disposeCallbacks.push(cb);
  }

  prune(cb: DataCallback): void {
    this.pruneCallbacks.push(cb);
  }

  decline(): void {
    this.declined = true;
  }

  invalidate(message?: string): void {
    this.host.invalidate(this.id, message);
  }

  on<T extends string>(event: T, cb: (payload: InferCustomEventPayload<T>) => void): void {
    const listener = cb as unknown as HotListener;
    this.listeners.push([event, listener]);
    this.host.events.on(event, listener);
  }

  off<T extends string>(event: T, cb: (payload: InferCustomEventPayload<T>) => void): void {
    const listener = cb as unknown as HotListener;
    const at = this.listeners.findIndex(([e, l]) => e === event && l === listener);
    if (at !== -1) this.listeners.splice(at, 1);
    this.host.events.off(event, listener);
  }

  send<T extends string>(event: T, data?: InferCustomEventPayload<T>): void {
    this.host.send(event, data);
  }

  /** Whether an accept call that ran covers dependency `id`. */
  acceptsDep(id: string): boolean {
    return this.depAccepts.some((a) => a.ids.includes(id));
  }

  /** Removes every listener this instance registered (it is being replaced or pruned). */
  removeListeners(): void {
    for (const [event, listener] of this.listeners) this.host.events.off(event, listener);
    this.listeners.length = 0;
  }
}

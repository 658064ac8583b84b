/**
 * The event bus behind `import.meta.hot.on/off` and the built-in HMR events. Built-in
 * events are emitted under both `devserver:` and `vite:` so code written for Vite keeps
 * working. A throwing listener is logged and does not stop the others.
 */
import type { RuntimeConsole } from './types.js';

export type HotListener = (payload: unknown) => void;

/** Names of the built-in events, without prefix. */
export type BuiltinEvent =
  | 'beforeUpdate'
  | 'afterUpdate'
  | 'beforeFullReload'
  | 'beforePrune'
  | 'error'
  | 'invalidate'
  | 'ws:connect'
  | 'ws:disconnect';

export class HotEvents {
  private readonly listeners = new Map<string, HotListener[]>();

  constructor(private readonly console: RuntimeConsole) {}

  on(event: string, listener: HotListener): void {
    const list = this.listeners.get(event);
    if (list) list.push(listener);
    else this.listeners.set(event, [listener]);
  }

  off(event: string, listener: HotListener): void {
    const list = this.listeners.get(event);
    if (!list) return;
    const at = list.indexOf(listener);
    if (at !== -1) list.splice(at, 1);
    if (list.length === 0) this.listeners.delete(event);
  }

  emit(event: string, payload: unknown): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (error) {
        this.console.error(`[devserver] a listener of '${event}' threw`, error);
      }
    }
  }

  /** Emits `devserver:<name>` then `vite:<name>`. */
  emitBuiltin(name: BuiltinEvent, payload: unknown): void {
    this.emit(`devserver:${name}`, payload);
    this.emit(`vite:${name}`, payload);
  }
}

/**
 * What the overlay shows: the server's current errors (one per module, replaced or cleared
 * by `error`/`error-cleared` messages) plus at most one error of this tab (a failed load or
 * hot update, cleared by the next update that applies). Also turns anything thrown in the
 * page into the `ErrorPayload` the overlay and `devserver:error` listeners get.
 */
import type { ErrorPayload } from '../shared/protocol.js';
import type { HotEvents } from './hotEvents.js';
import type { RuntimeUI } from './types.js';

/** Something a module threw while it ran, with the id of the module that threw. */
export class ModuleFailure extends Error {
  constructor(
    readonly original: unknown,
    readonly moduleId: string | undefined,
  ) {
    super(original instanceof Error ? original.message : String(original));
    this.name = 'ModuleFailure';
  }
}

/** An `ErrorPayload` for something thrown while loading or updating `id`. */
export function toErrorPayload(thrown: unknown, code: string, id?: string): ErrorPayload {
  const error = thrown instanceof ModuleFailure ? thrown.original : thrown;
  const moduleId =
    thrown instanceof ModuleFailure
      ? thrown.moduleId
      : (thrown as { moduleId?: unknown } | null)?.moduleId;
  if (typeof moduleId === 'string') id = moduleId;
  const err = error instanceof Error ? error : undefined;
  const message = err ? `${err.name}: ${err.message}` : String(error);
  return {
    message: message.split('\n')[0],
    code,
    ...(id ? { id } : {}),
    ...(err?.stack ? { stack: err.stack } : {}),
  };
}

/** Vite's `vite:error` payload shape. */
function errorEvent(e: ErrorPayload) {
  return {
    type: 'error',
    err: {
      message: e.message,
      stack: e.stack ?? '',
      id: e.id,
      frame: e.frame,
      plugin: e.plugin,
      loc: e.loc ? { file: e.file ?? e.id, ...e.loc } : undefined,
    },
  };
}

export function createErrorState(ui: RuntimeUI, events: HotEvents) {
  const server = new Map<string, ErrorPayload>();
  let local: ErrorPayload[] = [];
  const render = () => ui.showErrors([...server.values(), ...local]);
  return {
    serverError(error: ErrorPayload) {
      server.set(error.id ?? error.file ?? error.message, error);
      events.emitBuiltin('error', errorEvent(error));
      render();
    },
    serverErrorCleared(id: string) {
      if (server.delete(id)) render();
    },
    /** Shows errors of this tab (replacing the previous ones). */
    localErrors(errors: ErrorPayload[]) {
      local = errors;
      for (const e of errors) events.emitBuiltin('error', errorEvent(e));
      render();
    },
    clearLocal() {
      if (!local.length) return;
      local = [];
      render();
    },
  };
}

export type ErrorState = ReturnType<typeof createErrorState>;

/**
 * Uncaught errors and unhandled rejections of the page (not of an update: those are shown
 * already), in the overlay like webpack-dev-server's runtime errors. The stack is sent to
 * the server, which holds every module's source map, and comes back with original files,
 * lines and columns; if that fails the raw stack is shown.
 */
import type { ErrorPayload } from '../shared/protocol.js';

const REPORTED = Symbol.for('devserver.reported');

/** Marks an error the runtime has shown itself, so the page-level listener skips it. */
export function markReported(error: unknown): void {
  if (error && typeof error === 'object') (error as Record<symbol, boolean>)[REPORTED] = true;
}

function isReported(error: unknown): boolean {
  return !!error && typeof error === 'object' && (error as Record<symbol, boolean>)[REPORTED] === true;
}

export interface RuntimeErrorOptions {
  report(error: ErrorPayload): void;
  /** Maps a stack to original positions (the server's `/@devserver/stack`). */
  mapStack(stack: string): Promise<string>;
}

export function watchRuntimeErrors(win: Window, options: RuntimeErrorOptions): void {
  const show = async (error: unknown, fallbackMessage: string, kind: string) => {
    if (isReported(error)) return;
    const message = error instanceof Error ? error.message : fallbackMessage;
    const rawStack = error instanceof Error ? error.stack : undefined;
    const stack = rawStack ? await options.mapStack(rawStack).catch(() => rawStack) : undefined;
    options.report({ message: `${kind}: ${message}`, code: 'ERR_RUNTIME', stack });
  };
  win.addEventListener('error', (event) => {
    // Resource load failures (img, script) are not ErrorEvents and have nothing to show here.
    if (!(event instanceof ErrorEvent)) return;
    void show(event.error, event.message, 'Uncaught error');
  });
  win.addEventListener('unhandledrejection', (event) => {
    void show(event.reason, String(event.reason), 'Unhandled promise rejection');
  });
}

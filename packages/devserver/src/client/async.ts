/**
 * Promise helpers for the evaluator and the update queue: a deferred whose state can be
 * read, a one-microtask tick, and `silence` for promises whose rejection is reported
 * elsewhere (so the browser does not log an "unhandled rejection" twice).
 */

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  readonly settled: boolean;
}

/** A promise with its resolve/reject exposed. */
export function deferred<T>(): Deferred<T> {
  let resolveFn!: (value: T) => void;
  let rejectFn!: (error: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((resolve, reject) => {
    resolveFn = resolve;
    rejectFn = reject;
  });
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve(value) {
      settled = true;
      resolveFn(value);
    },
    reject(error) {
      settled = true;
      rejectFn(error);
    },
  };
}

/** Waits exactly one microtask turn. */
export function tick(): Promise<void> {
  return Promise.resolve();
}

/** Marks a rejection as handled; whoever cares awaits the promise itself. */
export function silence(promise: Promise<unknown>): void {
  promise.catch(() => undefined);
}

/** One-line message of anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

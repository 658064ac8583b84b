/**
 * Restart delays after crashes: 100 ms, doubling up to 5 s, so a backend that crashes at
 * once does not spin the CPU, and one that crashed once is back almost at once. The caller
 * calls `reset()` when a process has run long enough to count as stable.
 */
export interface Backoff {
  /** The delay before the next restart (and counts one more attempt). */
  next(): number;
  reset(): void;
  /** Restarts since the last reset. */
  readonly attempts: number;
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

/**
 * @example
 * const backoff = createBackoff();
 * backoff.next(); // 100
 * backoff.next(); // 200
 * backoff.reset();
 * backoff.next(); // 100
 */
export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 100;
  const maxMs = options.maxMs ?? 5000;
  let attempts = 0;
  return {
    next() {
      const delay = Math.min(maxMs, initialMs * 2 ** attempts);
      attempts++;
      return delay;
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}

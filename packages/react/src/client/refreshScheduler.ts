/**
 * Runs `performReactRefresh` once per batch of updated modules.
 *
 * One hot update calls the accept callbacks of all its boundaries back to back, and a
 * module that invalidates starts a second round (its importers re-run) right after, on
 * promise jobs. Refreshing after each callback would render intermediate states (a
 * component's new version with its importer's old constant) and do the work several
 * times; so the first callback schedules one refresh a short while later (a macrotask,
 * after every round of the update has run) and the others join it. 16 ms is one frame,
 * what @vitejs/plugin-react waits too, so two saves landing together also refresh once.
 */

export interface SchedulerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
}

export interface RefreshScheduler {
  /** Asks for a refresh; calls within one batch share it. */
  enqueue(): void;
  /** Whether a refresh is scheduled and has not run yet. */
  readonly pending: boolean;
}

export const REFRESH_DELAY_MS = 16;

/**
 * @param perform runs the refresh (`performReactRefresh`); an error it throws goes to `onError`
 * @example
 * const scheduler = createRefreshScheduler(() => RefreshRuntime.performReactRefresh(), console.error);
 * scheduler.enqueue(); scheduler.enqueue(); // one refresh, 16 ms later
 */
export function createRefreshScheduler(
  perform: () => void,
  onError: (error: unknown) => void,
  timers: SchedulerTimers = globalThis,
  delayMs = REFRESH_DELAY_MS,
): RefreshScheduler {
  let pending = false;
  const run = () => {
    pending = false;
    try {
      perform();
    } catch (error) {
      onError(error);
    }
  };
  return {
    enqueue() {
      if (pending) return;
      pending = true;
      timers.setTimeout(run, delayMs);
    },
    get pending() {
      return pending;
    },
  };
}

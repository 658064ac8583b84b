/** One performReactRefresh per batch of accept callbacks (src/client/refreshScheduler.ts). */
import { describe, expect, it } from 'vitest';
import { createRefreshScheduler, REFRESH_DELAY_MS } from '../client/refreshScheduler.js';

/** Timers that run only when the test says so. */
function manualTimers() {
  const queue: Array<{ fn: () => void; ms: number }> = [];
  return {
    timers: { setTimeout: (fn: () => void, ms: number) => queue.push({ fn, ms }) },
    queue,
    runAll() {
      for (const t of queue.splice(0)) t.fn();
    },
  };
}

describe('createRefreshScheduler', () => {
  it('runs one refresh for every enqueue of a batch, after the delay', () => {
    const clock = manualTimers();
    let runs = 0;
    const scheduler = createRefreshScheduler(() => runs++, () => {}, clock.timers);
    scheduler.enqueue();
    scheduler.enqueue();
    scheduler.enqueue();
    expect(runs).toBe(0);
    expect(scheduler.pending).toBe(true);
    expect(clock.queue.map((t) => t.ms)).toEqual([REFRESH_DELAY_MS]);
    clock.runAll();
    expect(runs).toBe(1);
    expect(scheduler.pending).toBe(false);
  });

  it('schedules a new refresh for the next batch', () => {
    const clock = manualTimers();
    let runs = 0;
    const scheduler = createRefreshScheduler(() => runs++, () => {}, clock.timers);
    scheduler.enqueue();
    clock.runAll();
    scheduler.enqueue();
    scheduler.enqueue();
    clock.runAll();
    expect(runs).toBe(2);
  });

  it('reports a refresh that throws and keeps working', () => {
    const clock = manualTimers();
    const errors: unknown[] = [];
    let fail = true;
    let runs = 0;
    const scheduler = createRefreshScheduler(
      () => {
        runs++;
        if (fail) throw new Error('render failed');
      },
      (error) => errors.push(error),
      clock.timers,
    );
    scheduler.enqueue();
    clock.runAll();
    expect(errors).toHaveLength(1);
    fail = false;
    scheduler.enqueue();
    clock.runAll();
    expect(runs).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

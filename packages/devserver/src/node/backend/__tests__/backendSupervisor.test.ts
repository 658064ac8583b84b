/**
 * The supervisor's decisions with fake processes and fake timers: when connections are
 * held, routed or refused, that the old process is stopped only after the new one is ready,
 * that a failed start leaves the old one serving, the crash backoff (100, 200, 400 ms,
 * reset after a stable run), and that overtaken deploys are skipped.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackoff } from '../backoff.js';
import { StartFailure, type BackendProcess, type ExitInfo } from '../backendProcess.js';
import { createSupervisor, type FailureInfo } from '../backendSupervisor.js';
import { recordingLogger } from './fixture.js';

interface FakeProcess extends BackendProcess {
  becomeReady(): void;
  failStart(message: string): void;
  crash(code: number): void;
}

function fakeProcess(file: string, generation: number, log: string[]): FakeProcess {
  let ready!: () => void;
  let notReady!: (error: unknown) => void;
  let exit!: (info: ExitInfo) => void;
  let state: BackendProcess['state'] = 'starting';
  const readyPromise = new Promise<void>((resolve, reject) => ((ready = resolve), (notReady = reject)));
  readyPromise.catch(() => undefined);
  const exited = new Promise<ExitInfo>((resolve) => (exit = resolve));
  void exited.then(() => (state = 'exited'));
  const end = (info: ExitInfo) => {
    exit(info);
    return exited;
  };
  return {
    generation,
    file,
    pid: 1000 + generation,
    get state() {
      return state;
    },
    ready: readyPromise,
    exited,
    forward: () => true,
    stop: () => {
      log.push(`stop #${generation}`);
      state = 'stopping';
      return end({ code: 0, signal: null });
    },
    kill: () => {
      log.push(`kill #${generation}`);
      return end({ code: null, signal: 'SIGTERM' });
    },
    stderrTail: () => [],
    becomeReady() {
      state = 'ready';
      ready();
    },
    failStart(message) {
      notReady(new StartFailure(message, null));
    },
    crash(code) {
      exit({ code, signal: null });
    },
  };
}

function setup() {
  const log: string[] = [];
  const procs: FakeProcess[] = [];
  const crashes: Array<{ failure: FailureInfo; delay: number }> = [];
  const supervisor = createSupervisor({
    shared: {
      route: () => log.push(`route #${supervisor.active?.generation}`),
      hold: () => log.push('hold'),
      refuse: (message) => log.push(`refuse: ${message}`),
      accept: () => undefined,
    },
    spawn: (file, generation) => {
      log.push(`spawn #${generation} ${file}`);
      const proc = fakeProcess(file, generation, log);
      procs.push(proc);
      return proc;
    },
    backoff: createBackoff(),
    events: {
      restarted: (info) => log.push(`restarted #${info.generation} (${info.cause})`),
      startFailed: (failure, serving) => log.push(`start failed: ${failure.what} (serving: ${serving})`),
      crashed: (failure, delay) => {
        crashes.push({ failure, delay });
        log.push(`crashed: ${failure.what}, restart in ${delay}`);
      },
    },
    logger: recordingLogger(),
    stableMs: 5000,
    drain: { idleGraceMs: 1000, timeoutMs: 10_000 },
  });
  /** Lets promise callbacks run (fake timers do not touch microtasks). */
  const settle = () => vi.advanceTimersByTimeAsync(0);
  return { log, procs, crashes, supervisor, settle };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('backend supervisor', () => {
  it('holds connections until the first process is ready, then routes to it', async () => {
    const { log, procs, supervisor, settle } = setup();
    const deployed = supervisor.deploy('a.mjs', 'start');
    await settle();
    expect(log).toEqual(['spawn #1 a.mjs', 'hold']);
    procs[0].becomeReady();
    expect(await deployed).toBe('ready');
    expect(log.slice(2)).toEqual(['route #1', 'restarted #1 (start)']);
  });

  it('stops the old process only after the new one is ready and routed', async () => {
    const { log, procs, supervisor, settle } = setup();
    const first = supervisor.deploy('a.mjs', 'start');
    await settle();
    procs[0].becomeReady();
    await first;
    log.length = 0;
    const second = supervisor.deploy('b.mjs', 'change');
    await settle();
    expect(log).toEqual(['spawn #2 b.mjs']);
    procs[1].becomeReady();
    expect(await second).toBe('ready');
    expect(log).toEqual(['spawn #2 b.mjs', 'route #2', 'stop #1', 'restarted #2 (change)']);
    expect(supervisor.active?.generation).toBe(2);
  });

  it('keeps the old process when the new one fails to start', async () => {
    const { log, procs, supervisor, settle } = setup();
    const first = supervisor.deploy('a.mjs', 'start');
    await settle();
    procs[0].becomeReady();
    await first;
    log.length = 0;
    const second = supervisor.deploy('b.mjs', 'change');
    await settle();
    procs[1].failStart('exited (exit code 1) before it was listening');
    expect(await second).toBe('failed');
    expect(log).toEqual(['spawn #2 b.mjs', 'kill #2', 'start failed: exited (exit code 1) before it was listening (serving: true)']);
    expect(supervisor.active?.generation).toBe(1);
  });

  it('refuses connections when nothing serves and the start failed', async () => {
    const { log, procs, supervisor, settle } = setup();
    const first = supervisor.deploy('a.mjs', 'start');
    await settle();
    procs[0].failStart('did not listen within 30 s');
    expect(await first).toBe('failed');
    expect(log.at(-1)).toBe('refuse: it did not start: did not listen within 30 s');
  });

  it('restarts a crashed process after 100, 200, 400 ms, and resets after a stable run', async () => {
    const { log, procs, crashes, supervisor, settle } = setup();
    const first = supervisor.deploy('a.mjs', 'start');
    await settle();
    procs[0].becomeReady();
    await first;
    for (const expected of [100, 200, 400]) {
      const crashed = procs.at(-1)!;
      crashed.crash(1);
      await settle();
      expect(crashes.at(-1)).toEqual({ failure: { what: 'exited (exit code 1)', stderr: [] }, delay: expected });
      expect(log.at(-1)).toBe('hold');
      const spawned = procs.length;
      await vi.advanceTimersByTimeAsync(expected - 1);
      expect(procs.length).toBe(spawned);
      await vi.advanceTimersByTimeAsync(1);
      expect(procs.length).toBe(spawned + 1);
      expect(procs.at(-1)!.file).toBe('a.mjs');
      procs.at(-1)!.becomeReady();
      await settle();
      expect(log.at(-1)).toBe(`restarted #${procs.length} (crash)`);
    }
    await vi.advanceTimersByTimeAsync(5000);
    procs.at(-1)!.crash(1);
    await settle();
    expect(crashes.at(-1)!.delay).toBe(100);
  });

  it('keeps backing off while restarts fail to start, and refuses once the wait is long', async () => {
    const { log, procs, crashes, supervisor, settle } = setup();
    const first = supervisor.deploy('a.mjs', 'start');
    await settle();
    procs[0].becomeReady();
    await first;
    procs[0].crash(1);
    await settle();
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(crashes.at(-1)!.delay);
      procs.at(-1)!.failStart('exited (exit code 1) before it was listening');
      await settle();
    }
    expect(crashes.map((c) => c.delay)).toEqual([100, 200, 400, 800, 1600, 3200]);
    expect(log.at(-1)).toMatch(/^refuse: it crashed \(exited \(exit code 1\) before it was listening\); restarting in 3200 ms$/);
  });

  it('skips deploys that a newer one overtook while they waited', async () => {
    const { log, procs, supervisor, settle } = setup();
    const a = supervisor.deploy('a.mjs', 'start');
    await settle();
    const b = supervisor.deploy('b.mjs', 'change');
    const c = supervisor.deploy('c.mjs', 'change');
    procs[0].becomeReady();
    expect(await a).toBe('ready');
    expect(await b).toBe('superseded');
    await settle();
    procs[1].becomeReady();
    expect(await c).toBe('ready');
    expect(log.filter((l) => l.startsWith('spawn'))).toEqual(['spawn #1 a.mjs', 'spawn #2 c.mjs']);
  });

  it('does not restart old code after a crash when a deploy of new code is on its way', async () => {
    const { procs, supervisor, settle } = setup();
    const first = supervisor.deploy('a.mjs', 'start');
    await settle();
    procs[0].becomeReady();
    await first;
    const second = supervisor.deploy('b.mjs', 'change');
    await settle();
    procs[0].crash(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(procs.map((p) => p.file)).toEqual(['a.mjs', 'b.mjs']);
    procs[1].becomeReady();
    expect(await second).toBe('ready');
    await supervisor.close();
  });
});

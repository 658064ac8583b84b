// Every process the bench starts goes through here, so every one of them is ended: servers
// are spawned detached (each leads its own process group) and killed as a group, on the
// normal path, on errors, on timeouts and on SIGINT/SIGTERM. Also: the resident memory of a
// process tree (a server plus any helpers it spawned, e.g. esbuild), read from /proc.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

const live = new Set();
const exitHooks = new Set();

/** Runs `fn` when the bench exits or is interrupted (temp dirs, browsers). */
export function onExit(fn) {
  exitHooks.add(fn);
  return () => exitHooks.delete(fn);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone (ESRCH): nothing to clean up.
  }
}

function cleanupAll() {
  for (const pid of live) killGroup(pid, 'SIGKILL');
  live.clear();
  for (const fn of exitHooks) {
    try {
      fn();
    } catch {
      // Best effort during shutdown.
    }
  }
  exitHooks.clear();
}

process.on('exit', cleanupAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, killing every process it started\n`);
    cleanupAll();
    process.exit(130);
  });
}

/**
 * Spawns a process in its own group; stdout/stderr are kept (last 64 KiB) for error reports.
 * @example const child = spawnGroup(process.execPath, ['cli.js'], { cwd }); await child.stop();
 */
export function spawnGroup(command, args, options = {}) {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child.pid);
  let output = '';
  const listeners = new Set();
  const keep = (chunk) => {
    const text = chunk.toString();
    output = (output + text).slice(-65536);
    for (const fn of listeners) fn(text);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo;
  exited.then((info) => {
    exitInfo = info;
  });
  return {
    pid: child.pid,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    output: () => output,
    onOutput: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** SIGTERM to the group, SIGKILL after `graceMs` if anything is left. */
    async stop(graceMs = 2000) {
      if (!live.has(child.pid)) return;
      killGroup(child.pid, 'SIGTERM');
      const timer = new Promise((resolve) => setTimeout(resolve, graceMs));
      await Promise.race([exited, timer]);
      killGroup(child.pid, 'SIGKILL');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
      live.delete(child.pid);
    },
  };
}

/** Parent pid of every process, from /proc. */
function parentMap() {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(rest[1]));
    } catch {
      // The process ended while we were reading.
    }
  }
  return parents;
}

function statusKb(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** `pid` and all its descendants. */
function processTree(pid) {
  const parents = parentMap();
  const tree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, parent] of parents) {
      if (tree.has(parent) && !tree.has(child)) {
        tree.add(child);
        grew = true;
      }
    }
  }
  return tree;
}

/**
 * Resident memory (MiB) of `pid` and all its descendants: { total, main, children }.
 * @example treeRssMb(server.pid) // -> { total: 182.4, main: 170.1, children: 1 }
 */
export function treeRssMb(pid) {
  const tree = processTree(pid);
  let totalKb = 0;
  for (const p of tree) totalKb += statusKb(p, 'VmRSS');
  return { total: totalKb / 1024, main: statusKb(pid, 'VmRSS') / 1024, children: tree.size - 1 };
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * CPU seconds (user + system) used so far by `pid` and its live descendants, plus what
 * their exited children used. Less sensitive to a busy machine than wall-clock times.
 */
export function treeCpuS(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime are fields 14-17 of stat, i.e. 11-14 after the name.
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // Ended while we were reading.
    }
  }
  return ticks / CLOCK_TICKS;
}

/** Busy CPU ticks of the whole machine (all cores), from /proc/stat. */
function machineBusyTicks() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** A point-in-time reading for `othersCpuCores`. */
export function cpuSnapshot() {
  return { at: performance.now(), busy: machineBusyTicks(), mine: treeCpuS(process.pid) * CLOCK_TICKS };
}

/**
 * Cores kept busy by processes outside the bench (machine busy time minus the bench's own
 * tree: itself, its browsers and servers) between two snapshots. The load average cannot
 * say this, because it counts the bench's own processes too.
 */
export function othersCpuCores(a, b) {
  const seconds = (b.at - a.at) / 1000;
  if (seconds <= 0) return null;
  return Math.max(0, (b.busy - a.busy - (b.mine - a.mine)) / CLOCK_TICKS / seconds);
}

/**
 * Waits until the whole machine is nearly idle (under `maxCores` busy over a 100 ms window)
 * or `maxWaitMs` passed; returns the last reading. Used before each server start, so the
 * browser's own start-up (a new renderer, GPU and network processes) does not compete with
 * the server being measured.
 */
export async function waitForQuiet({ maxCores = 0.3, maxWaitMs = 3000 } = {}) {
  const end = performance.now() + maxWaitMs;
  let cores = Infinity;
  while (performance.now() < end) {
    const a = { at: performance.now(), busy: machineBusyTicks() };
    await new Promise((resolve) => setTimeout(resolve, 100));
    cores = (machineBusyTicks() - a.busy) / CLOCK_TICKS / ((performance.now() - a.at) / 1000);
    if (cores < maxCores) break;
  }
  return cores;
}

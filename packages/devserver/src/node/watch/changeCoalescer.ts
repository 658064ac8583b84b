/**
 * Turns raw watcher events into change sets, so that no edit is lost and no intermediate
 * state is served (hmr-spec.md 1.1):
 * - events are collected until the tree has been quiet for `quietMs` (bounded by `maxWaitMs`
 *   so a stream of events cannot starve updates), then delivered as one change set;
 * - what a file *is* after the burst is decided by looking at it again, not by the event
 *   names: unlink+add from an atomic rename becomes a change, add+unlink becomes nothing;
 * - an empty file is the middle of a truncate-then-write save more often than a real edit,
 *   so it is held back (looked at again every few ms) for up to `emptyHoldMs`, and
 *   delivered empty only if nothing follows.
 * - chokidar drops every `change` of a path that comes within 50 ms of the previous one
 *   (its `_throttle(CHANGE, path, 50)`, no trailing event): so each delivered file is looked
 *   at again `verifyMs` after delivery, and if its size/mtime/inode or content moved since
 *   it was read, it is queued again. This is how a save 5-30 ms after another is never
 *   lost. The look is handed on (`FileChange.signature`), so the HMR engine can tell that
 *   a file changed again while it was being built, and not send what it read.
 * Sets are delivered one at a time; what arrives meanwhile goes into the next set.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

export type ChangeKind = 'add' | 'change' | 'unlink';

export interface FileChange {
  file: string;
  kind: ChangeKind;
  /** When the first event of this file's burst was seen (performance.now()). */
  firstEventAt: number;
  /**
   * What the file looked like when it was judged ready (see `fileSignature`); absent for
   * unlink. If the file no longer matches after it was read, it was written again meanwhile
   * and what was read may be an intermediate state; it is delivered again after `verifyMs`.
   */
  signature?: string;
}

export interface CoalescerOptions {
  onChangeSet: (changes: FileChange[]) => Promise<void>;
  quietMs?: number;
  maxWaitMs?: number;
  emptyHoldMs?: number;
  /** Files known to exist before the burst (to tell add from change). */
  isKnown?: (file: string) => boolean;
  onError?: (error: unknown) => void;
  /** Delay of the after-delivery re-check; must exceed chokidar's 50 ms change throttle. */
  verifyMs?: number;
}

export interface ChangeCoalescer {
  push(file: string, event: ChangeKind): void;
  /** Resolves when everything pushed so far has been delivered. */
  idle(): Promise<void>;
  dispose(): void;
}

interface Pending {
  firstEventAt: number;
  sawAdd: boolean;
  emptySince?: number;
}

/**
 * Files up to this size are fingerprinted by their content too: the saves of a burst often
 * land within one tick of the file system's clock (a few ms) with the same length, leaving
 * size and mtime unchanged between versions.
 */
const CONTENT_HASH_MAX_BYTES = 1024 * 1024;

interface Look {
  signature: string;
  size: number;
  isFile: boolean;
}

async function look(file: string): Promise<Look> {
  const stat = await fs.stat(file);
  const small = stat.isFile() && stat.size <= CONTENT_HASH_MAX_BYTES;
  const content = small ? createHash('sha1').update(await fs.readFile(file)).digest('base64url') : '';
  return { signature: `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}:${content}`, size: stat.size, isFile: stat.isFile() };
}

/**
 * Size, mtime, ctime, inode and (for files up to 1 MiB) content hash of a file now, or null
 * if it is gone: the format of `FileChange.signature`.
 */
export function fileSignature(file: string): Promise<string | null> {
  return look(file).then((l) => l.signature, () => null);
}

const EMPTY_POLL_MS = 15;

export function createChangeCoalescer(options: CoalescerOptions): ChangeCoalescer {
  const quietMs = options.quietMs ?? 4;
  const maxWaitMs = options.maxWaitMs ?? 50;
  // The gap between a truncate and its write is normally microseconds, but on a busy machine
  // it stretched past 60 ms in the e2e suite (the page then ran the empty module and
  // reloaded). A file someone really empties is rare: it shows up to 250 ms later. A held
  // file is looked at again every `EMPTY_POLL_MS`, since chokidar may drop the write's event.
  const emptyHoldMs = options.emptyHoldMs ?? 250;
  const verifyMs = options.verifyMs ?? 60;
  /** What each delivered file looked like when it was read, until verified. */
  const delivered = new Map<string, string>();
  let verifyTimer: NodeJS.Timeout | null = null;
  let verifying = false;
  let pending = new Map<string, Pending>();
  let timer: NodeJS.Timeout | null = null;
  let burstStart = 0;
  let delivering: Promise<void> = Promise.resolve();
  let disposed = false;
  let idleWaiters: Array<() => void> = [];

  function schedule(delay: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  function push(file: string, event: ChangeKind): void {
    if (disposed) return;
    const now = performance.now();
    const entry = pending.get(file);
    if (entry) {
      entry.sawAdd ||= event === 'add';
      entry.emptySince = undefined;
    } else {
      pending.set(file, { firstEventAt: now, sawAdd: event === 'add' });
    }
    if (pending.size === 1 && !timer) burstStart = now;
    const waited = now - burstStart;
    schedule(Math.max(0, Math.min(quietMs, maxWaitMs - waited)));
  }

  async function resolveKind(file: string, entry: Pending): Promise<ChangeKind | 'hold' | null> {
    try {
      const seen = await look(file);
      delivered.set(file, seen.signature);
      if (seen.size === 0 && seen.isFile) {
        const now = performance.now();
        entry.emptySince ??= now;
        if (now - entry.emptySince < emptyHoldMs) return 'hold';
      }
      const known = options.isKnown?.(file) ?? !entry.sawAdd;
      return known ? 'change' : 'add';
    } catch {
      delivered.delete(file);
      const known = options.isKnown?.(file) ?? !entry.sawAdd;
      return known ? 'unlink' : null;
    }
  }

  function flush(): void {
    timer = null;
    const batch = pending;
    pending = new Map();
    delivering = delivering.then(async () => {
      const changes: FileChange[] = [];
      let holdUntil = Infinity;
      for (const [file, entry] of batch) {
        const kind = await resolveKind(file, entry);
        if (kind === 'hold') {
          // Put it back unless a newer event already did.
          if (!pending.has(file)) pending.set(file, entry);
          holdUntil = Math.min(holdUntil, entry.emptySince! + emptyHoldMs);
          continue;
        }
        const seen = kind === 'unlink' ? undefined : delivered.get(file);
        if (kind) changes.push({ file, kind, firstEventAt: entry.firstEventAt, ...(seen ? { signature: seen } : {}) });
      }
      if (holdUntil !== Infinity && !timer && !disposed) {
        schedule(Math.max(1, Math.min(holdUntil - performance.now(), EMPTY_POLL_MS)));
      }
      if (changes.length) {
        try {
          await options.onChangeSet(changes);
        } catch (error) {
          options.onError?.(error);
        }
      }
      if (changes.length) scheduleVerify();
      if (!pending.size && !timer && !verifyTimer && !verifying) {
        const waiters = idleWaiters;
        idleWaiters = [];
        waiters.forEach((w) => w());
      }
    });
  }

  /**
   * Counted from the latest delivery: a verify timed for an earlier set would look before
   * chokidar's blind window of this one is over (seen in the e2e tests: a file deleted,
   * created again, then rewritten 40 ms later; the rewrite had no event and was lost).
   */
  function scheduleVerify(): void {
    if (disposed) return;
    if (verifyTimer) clearTimeout(verifyTimer);
    verifyTimer = setTimeout(verify, verifyMs);
  }

  async function verify(): Promise<void> {
    verifyTimer = null;
    verifying = true;
    const files = [...delivered];
    delivered.clear();
    await Promise.all(
      files.map(async ([file, seen]) => {
        if (pending.has(file)) return;
        const now = (await fileSignature(file)) ?? 'gone';
        if (now !== seen && !disposed) push(file, now === 'gone' ? 'unlink' : 'change');
      }),
    );
    verifying = false;
    if (!pending.size && !timer) {
      await delivering;
      if (!pending.size && !timer && !verifyTimer && !verifying) {
        const waiters = idleWaiters;
        idleWaiters = [];
        waiters.forEach((w) => w());
      }
    }
  }

  return {
    push,
    idle() {
      if (!pending.size && !timer && !verifyTimer && !verifying) return delivering;
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      if (verifyTimer) clearTimeout(verifyTimer);
      timer = null;
      verifyTimer = null;
      pending.clear();
      idleWaiters.forEach((w) => w());
    },
  };
}

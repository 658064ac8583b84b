// The three HMR probes as edits: write a probe file with a new stamp, then wait for the page
// recorder (browser.mjs) to see the matching value. Latency = Date.now() in the page when the
// value appeared - Date.now() here just before the write (same system clock, 1 ms steps).
// A full reload is detected by a changed document id; the value is then read from the new
// document, so the latency includes the reload.
// Two ways to save: single edits (the latency series) rewrite the file in place with one
// write() of the same length (every version is padded to PROBE_BYTES), so each server sees
// one change event and never an empty file; bursts write one file `count` times,
// `intervalMs` apart, with writeFileSync (truncate, then write: how many editors save), so
// a watcher can see the empty file in between. That is the "5 ms save burst" case.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PROBES, cssColor, cssSource, deepSource, leafSource } from './generateApp.mjs';
import { waitRendered } from './browser.mjs';

export const KINDS = {
  leaf: { file: PROBES.leaf, source: leafSource, expect: (s) => `leaf:${s}` },
  bubble: { file: PROBES.deep, source: deepSource, expect: (s) => `bubble:${s}` },
  css: { file: PROBES.css, source: cssSource, expect: cssColor },
};

const PROBE_BYTES = 512;

/** A probe version padded with spaces to PROBE_BYTES, so every version has the same size. */
function padded(text) {
  if (text.length >= PROBE_BYTES) throw new Error(`probe source longer than ${PROBE_BYTES} bytes`);
  return Buffer.from(text.replace(/\n$/, '') + ' '.repeat(PROBE_BYTES - text.length - 1) + '\n');
}

/** One write() at offset 0 of a same-size file: a single change, never empty. */
function writeInPlace(file, buf) {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
}

/** Puts every probe file back to stamp 0 (before a server starts). */
export function resetProbes(root) {
  for (const kind of Object.values(KINDS)) writeFileSync(path.join(root, kind.file), padded(kind.source(0)));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `kind` shows the value for `stamp`, across a full reload if one happens.
 * Returns { seenAt, docId } (seenAt null on timeout).
 */
async function waitForValue(page, kind, stamp, timeoutMs) {
  const value = KINDS[kind].expect(stamp);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return { seenAt: null, docId: await currentDocId(page) };
    try {
      const seenAt = await page.evaluate(([k, v, ms]) => window.__bench.waitFor(k, v, ms), [kind, value, left]);
      return { seenAt, docId: await currentDocId(page) };
    } catch {
      // The document went away (full reload): wait for the new one to render, then ask it.
      await waitRendered(page, Math.max(1, deadline - Date.now())).catch(() => undefined);
    }
  }
}

async function currentDocId(page) {
  try {
    return await page.evaluate(() => window.__bench?.docId);
  } catch {
    return undefined;
  }
}

/**
 * One probe session on a loaded page: tracks the document id and the next stamp.
 * @example const p = createProber(page, root, docId); const r = await p.edit('leaf'); // { latencyMs, reloaded }
 */
export function createProber(page, root, docId, { timeoutMs = 10000, gapMs = 150 } = {}) {
  let stamp = 1;
  let lastWrite = 0;
  let doc = docId;

  const write = (kind, s, truncating = false) => {
    const file = path.join(root, KINDS[kind].file);
    const buf = padded(KINDS[kind].source(s));
    const t = Date.now();
    if (truncating) writeFileSync(file, buf);
    else writeInPlace(file, buf);
    lastWrite = t;
    return t;
  };
  // Watchers (chokidar in both servers) throttle changes to one path within ~50 ms: keep
  // separate edits further apart than that so each is a clean, separate update.
  const settle = () => sleep(Math.max(0, lastWrite + gapMs - Date.now()));

  const finish = async (kind, s, writtenAt) => {
    const { seenAt, docId: now } = await waitForValue(page, kind, s, timeoutMs);
    const reloaded = now !== doc;
    if (now) doc = now;
    return { latencyMs: seenAt === null ? null : seenAt - writtenAt, reloaded, timedOut: seenAt === null };
  };

  return {
    /** One edit: write, wait until seen. */
    async edit(kind) {
      await settle();
      const s = stamp++;
      return finish(kind, s, write(kind, s));
    },
    /** First edit of a kind, re-sent every `retryMs` until seen (the socket may still be connecting). */
    async warmUp(kind, totalMs = 20000, retryMs = 2000) {
      const end = Date.now() + totalMs;
      while (Date.now() < end) {
        await settle();
        const s = stamp++;
        const writtenAt = write(kind, s);
        const { seenAt, docId: now } = await waitForValue(page, kind, s, retryMs);
        if (now) doc = now;
        if (seenAt !== null) return { latencyMs: seenAt - writtenAt };
      }
      return { latencyMs: null, timedOut: true };
    },
    /** `count` saves of one file `intervalMs` apart; latency from the last save. */
    async burst(kind, count = 10, intervalMs = 5) {
      await settle();
      let writtenAt = 0;
      let s = 0;
      for (let i = 0; i < count; i++) {
        if (i > 0) await sleep(intervalMs);
        s = stamp++;
        writtenAt = write(kind, s, true);
      }
      return finish(kind, s, writtenAt);
    },
    get docId() {
      return doc;
    },
  };
}

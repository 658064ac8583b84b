// Headless Chromium for the bench (playwright-core, no browser download): launch, and the
// in-page recorder every document gets before any app script runs. The recorder watches the
// DOM (MutationObserver on the whole document, plus stylesheet `load` events) and stamps each
// new value of #leaf, #bubble and #css-target's computed colour with Date.now(), so HMR
// latency is "file written (Date.now() in the bench) -> value first seen in the page" with no
// polling. Each document gets a random id: a changed id after an edit means a full reload.
// Computed colours are only read once armed (sessionStorage, so a reloaded tab stays armed),
// which keeps getComputedStyle out of the page-load measurements.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** $CHROMIUM_PATH or /usr/bin/chromium. */
export function chromiumPath() {
  const p = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(p)) throw new Error(`No Chromium at ${p}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  return p;
}

/** @example const browser = await launchBrowser(); ... await browser.close(); */
export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath(), args: LAUNCH_ARGS });
}

function recorder() {
  // Only the app's documents (not about:blank, where sessionStorage is off limits).
  if (location.protocol !== 'http:') return;
  const armed = () => sessionStorage.getItem('__benchArmed') === '1';
  const last = {};
  const seen = [];
  const waiters = new Set();
  const record = (kind, value, t) => {
    if (value === undefined || last[kind] === value) return;
    last[kind] = value;
    seen.push({ kind, value, t });
    for (const w of waiters) if (w.kind === kind && w.value === value) w.resolve(t);
  };
  const check = () => {
    const t = Date.now();
    record('leaf', document.getElementById('leaf')?.textContent ?? undefined, t);
    record('bubble', document.getElementById('bubble')?.textContent ?? undefined, t);
    const target = armed() ? document.getElementById('css-target') : null;
    if (target) record('css', getComputedStyle(target).color, t);
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  document.addEventListener('load', check, true);
  window.__bench = {
    docId: Math.random().toString(36).slice(2),
    seen,
    arm() {
      sessionStorage.setItem('__benchArmed', '1');
      check();
    },
    /** Date.now() when `kind` first showed `value` in this document, or null after timeoutMs. */
    waitFor(kind, value, timeoutMs) {
      const hit = seen.find((s) => s.kind === kind && s.value === value);
      if (hit) return Promise.resolve(hit.t);
      return new Promise((resolve) => {
        const w = { kind, value, resolve: (t) => (waiters.delete(w), clearTimeout(timer), resolve(t)) };
        const timer = setTimeout(() => (waiters.delete(w), resolve(null)), timeoutMs);
        waiters.add(w);
        check();
      });
    },
  };
}

/** A fresh context (own cache, own storage) with the recorder installed. */
export async function newBenchContext(browser) {
  const context = await browser.newContext();
  await context.addInitScript(recorder);
  return context;
}

/**
 * Waits for the app to set window.__rendered; returns { renderedMs, renderedAt, docId }:
 * ms since navigation start, that moment as a Date.now() value, and the document's id.
 */
export async function waitRendered(page, timeoutMs) {
  await page.waitForFunction(() => window.__rendered !== undefined, null, { polling: 'raf', timeout: timeoutMs });
  return page.evaluate(() => ({
    renderedMs: window.__rendered,
    renderedAt: performance.timeOrigin + window.__rendered,
    docId: window.__bench.docId,
  }));
}

/** Navigates (or reloads) and waits until rendered. */
export async function loadPage(page, url, timeoutMs) {
  if (url) await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  else await page.reload({ waitUntil: 'commit', timeout: timeoutMs });
  return waitRendered(page, timeoutMs);
}

/**
 * Shared setup of the playground/hmr e2e tests (hmr-api.test.ts, hmr-pipeline.test.ts).
 *
 * One temp copy of the playground serves a whole describe block: the scenarios only edit
 * files, and every tab is fresh, so between tests it is enough to close the tabs, put every
 * file back as it was (re-creating deleted ones, removing added ones) and wait until the
 * server has turned those writes into updates. Tests that restart the server get their own
 * copy.
 *
 * Besides the harness's TestPage, each tab records the HMR messages the server sent it (from
 * the websocket frames), so a test can assert what was and was not sent, and can record the
 * history of an element's text with a MutationObserver.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';
import type { Browser, WebSocketRoute } from 'playwright-core';
import { openPage, type TestPage } from './harness/page.js';
import { startPlayground, type Playground, type PlaygroundOptions } from './harness/playground.js';

const WAIT = { timeout: 15_000, interval: 20 };
const SKIP = new Set(['node_modules', '.devserver-cache']);
const FULL_RELOAD = /\[devserver\] full reload/;

/** A server -> tab message as it went over the websocket. */
export interface Frame {
  type: string;
  seq?: number;
  changed?: Array<{ id: string; hash: string; kind: string }>;
  event?: string;
  [key: string]: unknown;
}

export interface HmrTab extends TestPage {
  /** Every message the server sent this tab, in order (all sockets, across reconnects). */
  frames: Frame[];
  /** The `update` messages that listed module `id`. */
  updatesOf(id: string): Frame[];
  /** The `[devserver] full reload: …` console lines so far. */
  reloadLines(): string[];
  /** Starts recording every text `selector` shows (read with `history`). */
  recordText(selector: string): Promise<void>;
  history(selector: string): Promise<string[]>;
}

/** Lets a test drop the HMR websocket and keep it down, or hold the first connection. */
export interface SocketControl {
  /** Closes the open socket and refuses new ones until `online()`. */
  offline(): Promise<void>;
  online(): void;
  /** Connections attempted so far (refused ones included). */
  attempts(): number;
}

async function snapshot(root: string, dir = root, files = new Map<string, Buffer>()): Promise<Map<string, Buffer>> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await snapshot(root, full, files);
    else if (entry.isFile()) files.set(path.relative(root, full), await fs.readFile(full));
  }
  return files;
}

/** Puts the copy back to `files`: changed and deleted files rewritten, added files removed. */
async function restore(app: Playground, files: Map<string, Buffer>): Promise<void> {
  const now = await snapshot(app.root);
  for (const rel of now.keys()) if (!files.has(rel)) await fs.rm(app.file(rel));
  for (const [rel, content] of files) {
    const current = now.get(rel);
    if (current && current.equals(content)) continue;
    await fs.mkdir(path.dirname(app.file(rel)), { recursive: true });
    await fs.writeFile(app.file(rel), content);
  }
  await app.server.waitForIdle();
}

/**
 * Opens a tab that records the server's HMR messages. With `control`, the HMR websocket is
 * routed through Playwright so the test can take it down (`offline`) or hold the first
 * connection until `release` resolves.
 */
export async function openHmrPage(
  browser: Browser,
  options: { control?: boolean; release?: Promise<void> } = {},
): Promise<HmrTab & { socket?: SocketControl }> {
  const tab = await openPage(browser);
  const frames: Frame[] = [];
  tab.page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') return;
      try {
        frames.push(JSON.parse(payload) as Frame);
      } catch {
        // not a JSON message: not ours
      }
    });
  });

  let socket: SocketControl | undefined;
  if (options.control || options.release) {
    let refuse = false;
    let attempts = 0;
    let current: WebSocketRoute | undefined;
    await tab.context.routeWebSocket(/\/@devserver\/ws/, async (route) => {
      attempts++;
      if (refuse) {
        await route.close();
        return;
      }
      if (options.release && attempts === 1) await options.release;
      current = route;
      route.connectToServer(); // no handlers: messages pass through both ways
    });
    socket = {
      async offline() {
        refuse = true;
        await current?.close();
        current = undefined;
      },
      online() {
        refuse = false;
      },
      attempts: () => attempts,
    };
  }

  const hmrTab: HmrTab & { socket?: SocketControl } = Object.assign(tab, {
    frames,
    socket,
    updatesOf: (id: string) => frames.filter((f) => f.type === 'update' && f.changed?.some((c) => c.id === id)),
    reloadLines: () => tab.console.filter((e) => FULL_RELOAD.test(e.text)).map((e) => e.text),
    async recordText(selector: string) {
      await tab.page.evaluate((sel) => {
        const el = document.querySelector(sel);
        if (!el) throw new Error(`recordText: no ${sel}`);
        const store = ((window as unknown as { __textHistory?: Record<string, string[]> }).__textHistory ??= {});
        const history = (store[sel] = [el.textContent ?? '']);
        new MutationObserver(() => history.push(el.textContent ?? '')).observe(el, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      }, selector);
    },
    history: (selector: string) =>
      tab.page.evaluate(
        (sel) => (window as unknown as { __textHistory?: Record<string, string[]> }).__textHistory?.[sel] ?? [],
        selector,
      ),
  });
  return hmrTab;
}

export interface HmrPlayground {
  app(): Playground;
  /** Opens a tab (closed after the test) and loads `page` of the playground in it. */
  open(page?: string, options?: { control?: boolean; release?: Promise<void> }): Promise<HmrTab & { socket?: SocketControl }>;
}

/**
 * One copy of playground/hmr for the calling describe block, reset after each test.
 * @example
 * const hmr = useHmrPlayground(browser);
 * it('...', async () => { const tab = await hmr.open(); await hmr.app().edit(...); });
 */
export function useHmrPlayground(browser: () => Browser, options: PlaygroundOptions = {}): HmrPlayground {
  let app: Playground | undefined;
  let original: Map<string, Buffer>;
  let tabs: TestPage[] = [];

  beforeAll(async () => {
    app = await startPlayground('hmr', options);
    original = await snapshot(app.root);
  });
  beforeEach(({ onTestFailed }) => {
    // A failed test prints what the server said meanwhile (with debug lines if enabled) and
    // the console of its tabs.
    const from = app?.logs.length ?? 0;
    onTestFailed(() => {
      const consoles = tabs.map((t, i) => `tab ${i + 1} console:\n  ${t.console.slice(-40).map((e) => `${e.type}: ${e.text}`).join('\n  ')}`);
      process.stderr.write(`server log during the failed test:\n  ${app?.logs.slice(from).join('\n  ')}\n${consoles.join('\n')}\n`);
    });
  });
  afterEach(async () => {
    await Promise.all(tabs.map((t) => t.close()));
    tabs = [];
    if (app) await restore(app, original);
  });
  afterAll(async () => {
    await app?.close();
  });

  return {
    app() {
      if (!app) throw new Error('useHmrPlayground(): the playground is only available inside tests');
      return app;
    },
    async open(page = '', openOptions = {}) {
      const tab = await openHmrPage(browser(), openOptions);
      tabs.push(tab);
      await tab.goto(new URL(page, this.app().url).href);
      return tab;
    },
  };
}

/** Waits until index.html's main.ts has run (it renders #exports-direct after all its imports). */
export async function indexReady(tab: TestPage): Promise<void> {
  await tab.waitForText('#exports-direct', 'main.ts shows direct other v1');
}

/** Waits until other.html's entry has run. */
export async function otherReady(tab: TestPage): Promise<void> {
  await tab.waitForText('#other-only', 'only v1');
}

/** Waits until a terminal line of the server (from line `from` on) matches `pattern`; returns it. */
export async function waitForLog(app: Playground, pattern: RegExp, from = 0): Promise<string> {
  return vi.waitFor(() => {
    const line = app.logs.slice(from).find((l) => pattern.test(l));
    if (!line) throw new Error(`no server log line matches ${pattern}; last lines:\n  ${app.logs.slice(-10).join('\n  ')}`);
    return line;
  }, WAIT);
}

/** Waits until `check` passes (retrying its assertion). */
export function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, WAIT);
}

/** Replaces `from` by `to` in a file of the playground (the edit must change it). */
export function replaceIn(app: Playground, file: string, from: string, to: string): Promise<void> {
  return app.edit(file, (src) => {
    expect(src, `${file} should contain ${JSON.stringify(from)}`).toContain(from);
    return src.replace(from, to);
  });
}

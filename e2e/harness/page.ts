/**
 * A browser tab under test: it records everything that can go wrong on a page (console
 * errors, uncaught exceptions, failed requests, 4xx/5xx responses) so a test can assert
 * none happened, and it detects full reloads, which is what most HMR assertions are about.
 *
 * Reload detection has three independent signals, all checked by `expectNoReload()`:
 * a marker set on `window` after each load (a reload makes a fresh window without it), the
 * count of `load` events, and the runtime's `[devserver] full reload: <reason>` console
 * line (whose reason is put into the failure message).
 *
 * Waiting is always on a condition in the page (`waitForFunction`), never a fixed sleep.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface ConsoleEntry {
  type: string;
  text: string;
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Every console message, in order. */
  console: ConsoleEntry[];
  /** Uncaught exceptions and unhandled rejections in the page. */
  pageErrors: string[];
  /** `requestfailed` events and responses with status >= 400, as `GET <url>: <why>`. */
  failedRequests: string[];
  /** Number of `load` events of the main frame so far. */
  loads(): number;
  /** Navigates and waits for `load`; the page is then marked alive (see expectNoReload). */
  goto(url: string): Promise<void>;
  /**
   * Throws unless there were no console errors, page errors or failed requests. Entries
   * matching one of `allow` are ignored (for tests that provoke an error on purpose).
   */
  expectNoErrors(allow?: RegExp[]): void;
  /** Throws if the page reloaded (or started to) since the last goto/waitForReload. */
  expectNoReload(): Promise<void>;
  /** Runs `action` (e.g. a file edit) and waits for the page to load again. */
  waitForReload(action: () => Promise<unknown>): Promise<void>;
  /** Clicks `selector` (waiting for it to be clickable); a timeout lists the page's problems. */
  click(selector: string): Promise<void>;
  /** Waits until `selector`'s trimmed textContent equals `text` (or matches the RegExp). */
  waitForText(selector: string, text: string | RegExp): Promise<void>;
  /** Waits until `getComputedStyle(selector)[property]` equals `value`. */
  waitForStyle(selector: string, property: string, value: string): Promise<void>;
  /** Waits for a console message matching `pattern` (one already logged counts). */
  waitForConsole(pattern: RegExp): Promise<ConsoleEntry>;
  close(): Promise<void>;
}

const MARKER = '__e2e_alive';
const FULL_RELOAD = /\[devserver\] full reload/;
/** How long a condition may take to become true; generous for a loaded 2-core CI box. */
const WAIT_MS = 15_000;

interface TextTarget {
  selector: string;
  text: string;
  regex: { source: string; flags: string } | null;
}

/**
 * Opens a fresh context and tab (no shared cache or storage with other tests).
 * @example
 * const tab = await openPage(browser());
 * await tab.goto(app.url);
 * await tab.waitForText('#mode', 'development');
 * tab.expectNoErrors();
 */
export async function openPage(browser: Browser): Promise<TestPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const consoleEntries: ConsoleEntry[] = [];
  const pageErrors: string[] = [];
  const failedRequests: string[] = [];
  let loads = 0;
  let loadsAtMark = 0;
  let consoleAtMark = 0;

  page.on('console', (msg) => consoleEntries.push({ type: msg.type(), text: msg.text() }));
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  page.on('requestfailed', (req) => {
    failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText ?? 'failed'}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) failedRequests.push(`${res.request().method()} ${res.url()}: HTTP ${res.status()}`);
  });
  page.on('load', () => {
    loads++;
  });

  async function mark(): Promise<void> {
    await page.evaluate((key) => {
      (globalThis as unknown as Record<string, unknown>)[key] = true;
    }, MARKER);
    loadsAtMark = loads;
    consoleAtMark = consoleEntries.length;
  }

  async function isMarked(): Promise<boolean> {
    try {
      return await page.evaluate((key) => (globalThis as unknown as Record<string, unknown>)[key] === true, MARKER);
    } catch {
      return false; // "execution context was destroyed": a navigation is under way
    }
  }

  /** Everything that went wrong on the page so far, one line each. */
  function problems(allow: RegExp[] = []): string[] {
    return [
      ...consoleEntries.filter((e) => e.type === 'error').map((e) => `console.error: ${e.text}`),
      ...pageErrors.map((e) => `page error: ${e}`),
      ...failedRequests.map((r) => `request: ${r}`),
    ].filter((line) => !allow.some((re) => re.test(line)));
  }

  /** Runs a wait; on timeout says what the page showed instead and what went wrong on it. */
  async function waitFor<T>(what: string, run: () => Promise<T>, actual: () => Promise<string>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const now = await actual().catch(() => '<page unavailable>');
      const cause = error instanceof Error ? error.message.split('\n')[0] : String(error);
      const seen = problems();
      const context = seen.length > 0 ? `\npage problems so far:\n  ${seen.join('\n  ')}` : '';
      throw new Error(`gave up waiting for ${what}; actual: ${now} (${cause})${context}`);
    }
  }

  const tab: TestPage = {
    page,
    context,
    console: consoleEntries,
    pageErrors,
    failedRequests,
    loads: () => loads,
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' });
      await mark();
    },
    expectNoErrors(allow = []) {
      const found = problems(allow);
      if (found.length > 0) throw new Error(`the page had ${found.length} problem(s):\n  ${found.join('\n  ')}`);
    },
    async expectNoReload() {
      const reasons = consoleEntries.slice(consoleAtMark).filter((e) => FULL_RELOAD.test(e.text));
      const signs: string[] = reasons.map((e) => e.text);
      if (loads !== loadsAtMark) signs.push(`${loads - loadsAtMark} load event(s) since the page was marked`);
      if (!(await isMarked())) signs.push('the window marker is gone (a new document replaced the page)');
      if (signs.length > 0) throw new Error(`expected no full reload, but:\n  ${signs.join('\n  ')}`);
    },
    async waitForReload(action) {
      const loaded = page.waitForEvent('load', { timeout: WAIT_MS });
      loaded.catch(() => undefined); // awaited below; this only keeps a failing action from leaving it unhandled
      await action();
      await waitFor('the page to reload', () => loaded, async () => `${loads - loadsAtMark} load event(s)`);
      await mark();
    },
    async click(selector) {
      await waitFor(
        `${selector} to be clickable`,
        () => page.click(selector),
        () => page.evaluate((sel) => (document.querySelector(sel) ? 'present' : 'absent'), selector),
      );
    },
    async waitForText(selector, text) {
      const target: TextTarget = {
        selector,
        text: typeof text === 'string' ? text : '',
        regex: typeof text === 'string' ? null : { source: text.source, flags: text.flags },
      };
      await waitFor(
        `${selector} to have text ${String(text)}`,
        () =>
          page.waitForFunction(
            (t: TextTarget) => {
              const actual = document.querySelector(t.selector)?.textContent?.trim();
              if (actual === undefined) return false;
              return t.regex ? new RegExp(t.regex.source, t.regex.flags).test(actual) : actual === t.text;
            },
            target,
            { polling: 'raf', timeout: WAIT_MS },
          ),
        () => page.evaluate((sel) => JSON.stringify(document.querySelector(sel)?.textContent?.trim() ?? null), selector),
      );
    },
    async waitForStyle(selector, property, value) {
      const target = { selector, property, value };
      await waitFor(
        `${selector} to have ${property}: ${value}`,
        () =>
          page.waitForFunction(
            (t: typeof target) => {
              const el = document.querySelector(t.selector);
              return el !== null && getComputedStyle(el).getPropertyValue(t.property) === t.value;
            },
            target,
            { polling: 'raf', timeout: WAIT_MS },
          ),
        () =>
          page.evaluate((t: typeof target) => {
            const el = document.querySelector(t.selector);
            return JSON.stringify(el ? getComputedStyle(el).getPropertyValue(t.property) : null);
          }, target),
      );
    },
    async waitForConsole(pattern) {
      const seen = consoleEntries.find((e) => pattern.test(e.text));
      if (seen) return seen;
      const msg = await page.waitForEvent('console', { predicate: (m) => pattern.test(m.text()), timeout: WAIT_MS });
      return { type: msg.type(), text: msg.text() };
    },
    close: () => context.close(),
  };
  return tab;
}

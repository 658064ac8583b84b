/**
 * Finds and launches the Chromium the e2e tests drive. Order: $CHROMIUM_PATH, a browser
 * Playwright installed itself (~/.cache/ms-playwright), Debian's /usr/bin/chromium.
 * With none, the run fails with how to get one: an e2e suite that silently skips when the
 * browser is missing would report green while testing nothing.
 *
 * One browser per test file (`useBrowser()` in a describe block); each test opens its own
 * context, so tabs never share state.
 */
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser } from 'playwright-core';

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

/** Chromium builds Playwright downloaded, newest first (`chrome-linux` or `chrome-linux64`). */
function playwrightCacheCandidates(): string[] {
  const candidates: string[] = [];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // playwright-core throws when it has no registry entry for this platform; fall through.
  }
  const cache = path.join(os.homedir(), '.cache', 'ms-playwright');
  if (existsSync(cache)) {
    const dirs = readdirSync(cache).filter((d) => d.startsWith('chromium-')).sort().reverse();
    for (const dir of dirs) {
      for (const sub of ['chrome-linux64', 'chrome-linux']) candidates.push(path.join(cache, dir, sub, 'chrome'));
    }
  }
  return candidates;
}

/**
 * The path of the Chromium to launch.
 * @example
 * const executablePath = findChromium(); // '/usr/bin/chromium'
 */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist. Point it at a Chromium binary or unset it.`);
  }
  for (const candidate of [...playwrightCacheCandidates(), '/usr/bin/chromium']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    'No Chromium found for the e2e tests (looked at $CHROMIUM_PATH, ~/.cache/ms-playwright, /usr/bin/chromium). ' +
      'Install one with `apt-get install -y chromium` (what .ci/run does) or set CHROMIUM_PATH=/path/to/chrome.',
  );
}

/**
 * Launches headless Chromium.
 * @example
 * const browser = await launchBrowser();
 * await browser.close();
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), args: LAUNCH_ARGS });
}

/**
 * One browser for the calling test file: launched in beforeAll, closed in afterAll.
 * @example
 * const browser = useBrowser();
 * it('works', async () => { const context = await browser().newContext(); ... });
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('useBrowser(): the browser is only available inside tests (after beforeAll)');
    return browser;
  };
}

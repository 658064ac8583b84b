/**
 * playground/vanilla in a real browser: every feature renders on first load with no errors
 * and no failed requests, the dynamic import loads on click, and edits to a self-accepting
 * module, to CSS imported from JS and to a linked stylesheet apply in place (no reload,
 * state kept). Each test gets its own temp copy of the playground and its own tab.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage, type TestPage } from './harness/page.js';
import { REPO_ROOT, startPlayground, type Playground } from './harness/playground.js';

const browser = useBrowser();
let app: Playground;
let tab: TestPage;

beforeEach(async () => {
  app = await startPlayground('vanilla');
  tab = await openPage(browser());
  await tab.goto(app.url);
});

afterEach(async () => {
  await tab?.close();
  await app?.close();
});

/** Clicks the counter `times` times and waits until it shows `label: times`. */
async function clickCounter(times: number, label = 'Count'): Promise<void> {
  for (let i = 0; i < times; i++) await tab.click('#counter-button');
  await tab.waitForText('#counter-value', `${label}: ${times}`);
}

describe('vanilla playground', () => {
  it('renders every feature without errors or failed requests', async () => {
    const rawSvg = readFileSync(path.join(REPO_ROOT, 'playground/vanilla/src/assets/icon.svg'), 'utf8');

    await tab.waitForText('#title', 'devserver vanilla playground');
    await tab.waitForText('#mode', 'mode: development');
    await tab.waitForText('#json', 'json: vanilla 1.0.0 (5 features)');
    await tab.waitForText('#raw-text', `svg source, ${rawSvg.length} chars`);
    await tab.waitForText('#counter-value', 'Count: 0');
    await tab.waitForText('#asset-url', /icon\.svg/);
    // A stylesheet linked from HTML and CSS imported from JS are both applied.
    await tab.waitForStyle('body', 'color', 'rgb(30, 30, 30)');
    await tab.waitForStyle('#counter-value', 'color', 'rgb(0, 0, 255)');
    // Images from public/ and from an imported asset URL actually load.
    await tab.page.waitForFunction(() =>
      ['#public-logo', '#asset-img'].every((sel) => {
        const img = document.querySelector<HTMLImageElement>(sel);
        return img !== null && img.complete && img.naturalWidth > 0;
      }),
    );

    await clickCounter(2);
    tab.expectNoErrors();
    await tab.expectNoReload();
  });

  it('loads the dynamic import on click', async () => {
    await tab.waitForText('#lazy', '');
    await tab.click('#lazy-button');
    await tab.waitForText('#lazy', 'lazy module loaded');
    tab.expectNoErrors();
    await tab.expectNoReload();
  });

  it('applies an edit of the self-accepting counter without a reload and keeps its count', async () => {
    await clickCounter(3);

    await app.edit('src/counter.ts', (src) => src.replace("const label = 'Count';", "const label = 'Clicks';"));
    await tab.waitForText('#counter-value', 'Clicks: 3');
    await tab.expectNoReload();

    // The new version is the live one: its click handler counts on from the kept state.
    await tab.click('#counter-button');
    await tab.waitForText('#counter-value', 'Clicks: 4');
    tab.expectNoErrors();
  });

  it('applies an edit of CSS imported from JS without a reload', async () => {
    await clickCounter(1);

    await app.edit('src/style.css', (css) => css.replace('color: rgb(0, 0, 255);', 'color: rgb(255, 0, 0);'));
    await tab.waitForStyle('#counter-value', 'color', 'rgb(255, 0, 0)');
    await tab.expectNoReload();
    await tab.waitForText('#counter-value', 'Count: 1');
    // The old rule is gone, not just overridden by a second <style>.
    const styleTexts = await tab.page.$$eval('style', (els) => els.map((el) => el.textContent ?? ''));
    expect(styleTexts.filter((text) => text.includes('rgb(0, 0, 255)'))).toEqual([]);
    tab.expectNoErrors();
  });

  it('swaps a <link rel=stylesheet> on edit without a reload', async () => {
    await clickCounter(1);

    await app.edit('src/global.css', (css) => css.replace('color: rgb(30, 30, 30);', 'color: rgb(0, 128, 0);'));
    await tab.waitForStyle('body', 'color', 'rgb(0, 128, 0)');
    await tab.expectNoReload();
    await tab.waitForText('#counter-value', 'Count: 1');
    // The old <link> goes once the new one has loaded.
    await tab.page.waitForFunction(() => document.querySelectorAll('link[rel="stylesheet"]').length === 1);
    tab.expectNoErrors();
  });
});

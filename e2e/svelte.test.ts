/**
 * playground/svelte (Svelte 5 from npm, `<script lang="ts">`, a `.svelte.ts` store module,
 * component styles, `@devserver/svelte`) in Chromium: the page renders from one instance of
 * Svelte's runtime, and edits are hot updates, never reloads:
 *  - a template edit re-runs the component and keeps its `$state` (the plugin's state
 *    keeper; Svelte's own HMR would start the component over);
 *  - a style edit swaps the CSS only: the component is not even re-run;
 *  - a child edit re-runs only the child (its state kept too); the parent is untouched;
 *  - a store module edit re-runs the components importing it; the module's `$state` keeps
 *    its values unless the edit changed that declaration's initial value;
 *  - a syntax error shows the overlay with file and line; its fix applies with state kept;
 *  - a new version that throws while loading shows that error (and no other) and keeps the
 *    page; its fix applies with state kept.
 * `svelte` and the plugin are pnpm symlinks whose real paths lie outside the temp copy.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage, type TestPage } from './harness/page.js';
import { startPlayground, type Playground } from './harness/playground.js';

const browser = useBrowser();
let app: Playground;
let tab: TestPage;
/** Bodies of every `/@deps/` file the page loaded (entries and shared chunks). */
let depFiles: Map<string, Promise<string>>;

beforeEach(async () => {
  app = await startPlayground('svelte');
  tab = await openPage(browser());
  depFiles = new Map();
  tab.page.on('response', (res) => {
    if (new URL(res.url()).pathname.startsWith('/@deps/')) depFiles.set(res.url(), res.text());
  });
  await tab.goto(app.url);
  await tab.waitForText('#counter-value', 'Count: 0');
});

afterEach(async () => {
  await tab?.close();
  await app?.close();
});

const OVERLAY = 'devserver-error-overlay';

/** Clicks `selector` `times` times. */
async function clickTimes(selector: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await tab.click(selector);
}

/**
 * Tags the element: the tag survives as long as the element does, i.e. as long as the
 * component that rendered it is not re-run.
 */
async function tag(selector: string): Promise<void> {
  await tab.page.$eval(selector, (el) => {
    (el as unknown as Record<string, unknown>).__e2eTag = true;
  });
}

function isTagged(selector: string): Promise<boolean> {
  return tab.page.$eval(selector, (el) => (el as unknown as Record<string, unknown>).__e2eTag === true);
}

/** The overlay's text (its shadow DOM), or null when there is no overlay. */
function overlayText(): Promise<string | null> {
  return tab.page.evaluate((name) => document.querySelector(name)?.shadowRoot?.textContent ?? null, OVERLAY);
}

describe('svelte playground', () => {
  it('renders from one instance of the Svelte runtime, with component styles, without errors', async () => {
    await tab.waitForText('#title', 'devserver svelte playground');
    await tab.waitForText('#child-label', 'From parent: 0');
    await tab.waitForText('#store-value', 'Store clicks: 0');
    await tab.waitForStyle('.counter', 'color', 'rgb(0, 0, 255)');
    await tab.waitForStyle('.child', 'border-left-color', 'rgb(0, 128, 0)');
    // Each component's CSS is one <style> of its own (external CSS, not injected by Svelte).
    const styles = await tab.page.$$eval('style[data-svelte-style]', (els) => els.map((el) => el.getAttribute('data-svelte-style')).sort());
    expect(styles).toEqual(['/src/App.svelte', '/src/Child.svelte']);

    await clickTimes('#counter-button', 2);
    await tab.waitForText('#counter-value', 'Count: 2');
    await tab.waitForText('#doubled', 'Doubled: 4');
    await tab.waitForText('#child-label', 'From parent: 2');
    await tab.click('#store-button');
    await tab.waitForText('#store-value', 'Store clicks: 1');

    // `svelte` (mount) and `svelte/internal/client` (the compiled components) are separate
    // pre-bundled entries; the runtime they share must exist once, in a shared chunk. One of
    // its error messages stands for the whole runtime: it must be served exactly once.
    const bodies = await Promise.all(depFiles.values());
    expect([...depFiles.keys()].some((url) => /\/@deps\/svelte\.js/.test(url))).toBe(true);
    expect([...depFiles.keys()].some((url) => /\/@deps\/svelte_internal_client\.js/.test(url))).toBe(true);
    const runtimeCopies = bodies.filter((body) => body.includes('https://svelte.dev/e/effect_update_depth_exceeded')).length;
    expect(runtimeCopies).toBe(1);
    tab.expectNoErrors();
    await tab.expectNoReload();
  });

  it("keeps a component's $state when its template is edited", async () => {
    await clickTimes('#counter-button', 3);
    await tab.waitForText('#counter-value', 'Count: 3');

    await app.edit('src/App.svelte', (src) => src.replace('Count: {count}', 'Clicks: {count}'));
    await tab.waitForText('#counter-value', 'Clicks: 3');
    await tab.waitForText('#doubled', 'Doubled: 6');
    await tab.expectNoReload();

    // The new version is the live one and counts on from the kept state.
    await tab.click('#counter-button');
    await tab.waitForText('#counter-value', 'Clicks: 4');
    await tab.waitForText('#child-label', 'From parent: 4');
    tab.expectNoErrors();
  });

  it('starts a $state over when the edit changes its initial value, keeping the others', async () => {
    await clickTimes('#counter-button', 2);
    await clickTimes('#wave-button', 2);
    await tab.waitForText('#wave-button', 'waves: 2');

    await app.edit('src/Child.svelte', (src) => src.replace('let waves = $state(0);', 'let waves = $state(10);').replace('waves: {waves}', 'w: {waves}'));
    await tab.waitForText('#wave-button', 'w: 10');
    await tab.waitForText('#counter-value', 'Count: 2');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });

  it('applies a style edit without re-running the component, keeping its state', async () => {
    await clickTimes('#counter-button', 2);
    await tab.waitForText('#counter-value', 'Count: 2');
    await tag('#counter-button');

    await app.edit('src/App.svelte', (src) => src.replace('color: rgb(0, 0, 255);', 'color: rgb(255, 0, 0);'));
    await tab.waitForStyle('.counter', 'color', 'rgb(255, 0, 0)');
    await tab.expectNoReload();
    await tab.waitForText('#counter-value', 'Count: 2');
    // The same element: only the CSS changed, the component did not run again.
    expect(await isTagged('#counter-button')).toBe(true);
    expect(await tab.page.$$eval('style[data-svelte-style="/src/App.svelte"]', (els) => els.length)).toBe(1);

    await tab.click('#counter-button');
    await tab.waitForText('#counter-value', 'Count: 3');
    tab.expectNoErrors();
  });

  it("re-runs only an edited child: the parent is untouched and the child's state is kept", async () => {
    await clickTimes('#counter-button', 3);
    await clickTimes('#wave-button', 2);
    await tab.waitForText('#wave-button', 'waves: 2');
    await tag('#counter-button');

    await app.edit('src/Child.svelte', (src) => src.replace('waves: {waves}', 'hands: {waves}'));
    await tab.waitForText('#wave-button', 'hands: 2');
    await tab.waitForText('#child-label', 'From parent: 3');
    await tab.expectNoReload();
    await tab.waitForText('#counter-value', 'Count: 3');
    expect(await isTagged('#counter-button')).toBe(true);

    // Props still flow from the parent into the new child.
    await tab.click('#counter-button');
    await tab.waitForText('#child-label', 'From parent: 4');
    tab.expectNoErrors();
  });

  it('re-runs the components importing an edited .svelte.ts module; its $state keeps its values', async () => {
    await clickTimes('#store-button', 2);
    await tab.waitForText('#store-value', 'Store clicks: 2');
    await clickTimes('#counter-button', 1);
    await tab.waitForText('#counter-value', 'Count: 1');
    await tag('#counter-button');

    await app.edit('src/store.svelte.ts', (src) => src.replace("STORE_LABEL: string = 'Store clicks'", "STORE_LABEL: string = 'Store total'"));
    await tab.waitForText('#store-value', 'Store total: 2');
    await tab.expectNoReload();
    // The store has no accept of its own: its importer (App) ran again, with its state kept.
    expect(await isTagged('#counter-button')).toBe(false);
    await tab.waitForText('#counter-value', 'Count: 1');
    // The new module's function works on the kept state.
    await tab.click('#store-button');
    await tab.waitForText('#store-value', 'Store total: 3');

    // A changed initial value starts that state over.
    await app.edit('src/store.svelte.ts', (src) => src.replace('$state({ step: 1, clicks: 0 })', '$state({ step: 5, clicks: 0 })'));
    await tab.waitForText('#store-value', 'Store total: 0');
    await tab.click('#store-button');
    await tab.waitForText('#store-value', 'Store total: 5');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });

  it('shows the overlay with file and line for a syntax error, and applies the fix without a reload', async () => {
    await clickTimes('#counter-button', 3);
    await tab.waitForText('#counter-value', 'Count: 3');

    const source = await app.read('src/App.svelte');
    const line = source.split('\n').findIndex((l) => l.includes('Count: {count}')) + 1;
    await app.edit('src/App.svelte', source.replace('Count: {count}</p>', 'Count: {count</p>'));
    await tab.page.waitForSelector(OVERLAY, { state: 'attached' });
    await tab.page.waitForFunction((name) => /App\.svelte:\d+/.test(document.querySelector(name)?.shadowRoot?.textContent ?? ''), OVERLAY);
    const text = (await overlayText()) ?? '';
    expect(text).toContain(`src/App.svelte:${line}:`);
    expect(text).toMatch(/@devserver\/svelte/);
    // The code frame points at the broken line.
    expect(text).toContain('Count: {count</p>');
    await tab.expectNoReload();

    await app.edit('src/App.svelte', source.replace('Count: {count}', 'Fixed: {count}'));
    await tab.waitForText('#counter-value', 'Fixed: 3');
    await tab.page.waitForSelector(OVERLAY, { state: 'detached' });
    await tab.click('#counter-button');
    await tab.waitForText('#counter-value', 'Fixed: 4');
    await tab.expectNoReload();
    // The one error logged is the syntax error this test provoked.
    tab.expectNoErrors([/^console\.error: \[devserver\] Unterminated regular expression \(https:\/\/svelte\.dev\/e\/js_parse_error\)$/]);
  });

  it('shows a new version that throws as it loads, without a second error, and applies the fix', async () => {
    await clickTimes('#counter-button', 1);
    await clickTimes('#wave-button', 2);
    await tab.waitForText('#wave-button', 'waves: 2');

    const source = await app.read('src/Child.svelte');
    const throwing = '<script lang="ts" module>\n  if (Math.random() < 2) throw new Error("boom in the module script");\n</script>\n';
    await app.edit('src/Child.svelte', throwing + source);
    await tab.page.waitForFunction((name) => /boom in the module script/.test(document.querySelector(name)?.shadowRoot?.textContent ?? ''), OVERLAY);
    await tab.expectNoReload();
    // The old version's accept callback got `undefined` and kept the page as it was: it
    // does not throw a TypeError of its own on top of the real cause.
    expect(tab.console.filter((e) => e.type === 'error').map((e) => e.text.split('\n')[0])).toEqual([
      '[devserver] hot update failed: Error: boom in the module script',
    ]);

    await app.edit('src/Child.svelte', source.replace('waves: {waves}', 'hands: {waves}'));
    await tab.waitForText('#wave-button', 'hands: 2');
    await tab.page.waitForSelector(OVERLAY, { state: 'detached' });
    await tab.waitForText('#counter-value', 'Count: 1');
    await tab.expectNoReload();
    tab.expectNoErrors([/^console\.error: \[devserver\] hot update failed: Error: boom in the module script/]);
  });
});

/**
 * playground/react (React 19 from npm, JSX, a CommonJS dependency, `@devserver/react`) in
 * Chromium: the page renders, and edits go through React Fast Refresh without reloading:
 * JSX edits keep state, a changed hook signature remounts, edits of a plain module reach
 * the components that use it, a module exporting a component and a constant falls back to
 * its importer (with a message naming the constant), a syntax error shows the overlay and
 * its fix keeps state, and a context provider keeps its value. `react`, `react-dom` and the
 * plugin are pnpm symlinks whose real paths lie outside the app's (temp copy's) root.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage, type TestPage } from './harness/page.js';
import { startPlayground, type Playground } from './harness/playground.js';

const browser = useBrowser();
let app: Playground;
let tab: TestPage;

beforeEach(async () => {
  app = await startPlayground('react');
  tab = await openPage(browser());
  await tab.goto(app.url);
  await tab.waitForText('#counter-value', 'Count: 0');
});

afterEach(async () => {
  await tab?.close();
  await app?.close();
});

/** Clicks `selector` `times` times. */
async function clickTimes(selector: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await tab.click(selector);
}

/** How many times the refresh runtime ran `performReactRefresh` in this tab. */
function refreshCount(): Promise<number> {
  return tab.page.evaluate(() => {
    const api = (globalThis as unknown as Record<string, { refreshCount: number } | undefined>).__DEVSERVER_REACT_REFRESH__;
    return api ? api.refreshCount : -1;
  });
}

const OVERLAY = 'devserver-error-overlay';

describe('react playground', () => {
  it('renders with React 19, the CJS dependency and the refresh runtime, without errors', async () => {
    await tab.waitForText('#title', 'devserver react playground');
    await tab.waitForText('#badge', 'badge');
    expect(await tab.page.getAttribute('#badge', 'class')).toBe('badge badge--active');
    await tab.waitForText('#theme-button', 'Theme: light');
    // The preamble ran before React: the runtime is installed and React's renderer hooked it.
    expect(await refreshCount()).toBe(0);
    const hooked = await tab.page.evaluate(() => {
      const hook = (globalThis as unknown as Record<string, { renderers?: Map<number, unknown> } | undefined>)
        .__REACT_DEVTOOLS_GLOBAL_HOOK__;
      return hook?.renderers instanceof Map;
    });
    expect(hooked).toBe(true);
    await clickTimes('#counter-button', 2);
    await tab.waitForText('#counter-value', 'Count: 2');
    tab.expectNoErrors();
    await tab.expectNoReload();
  });

  it("keeps a counter's state when its JSX is edited", async () => {
    await clickTimes('#counter-button', 3);
    await tab.waitForText('#counter-value', 'Count: 3');

    await app.edit('src/Counter.tsx', (src) => src.replace('Count: {count}', 'Clicks: {count}'));
    await tab.waitForText('#counter-value', 'Clicks: 3');
    await tab.expectNoReload();

    // The new version is the live one and counts on from the kept state.
    await tab.click('#counter-button');
    await tab.waitForText('#counter-value', 'Clicks: 4');
    tab.expectNoErrors();
  });

  it('remounts a component whose hooks changed (state resets) without a page reload', async () => {
    await clickTimes('#counter-button', 2);
    await tab.waitForText('#counter-value', 'Count: 2');
    await clickTimes('#wave-button', 1);
    await tab.waitForText('#wave-button', 'waves: 1');

    await app.edit('src/Counter.tsx', (src) =>
      src
        .replace('const [count, setCount] = useState(0);', 'const [count, setCount] = useState(0);\n  const [step] = useState(1);')
        .replace('setCount((c) => c + 1)', 'setCount((c) => c + step)')
        .replace('Count: {count}', 'Count (step {step}): {count}'),
    );
    await tab.waitForText('#counter-value', 'Count (step 1): 0');
    await tab.expectNoReload();
    // Only the changed component remounted: another component's state is kept.
    await tab.waitForText('#wave-button', 'waves: 1');
    await tab.click('#counter-button');
    await tab.waitForText('#counter-value', 'Count (step 1): 1');
    tab.expectNoErrors();
  });

  it('updates the components that use an edited non-component module, once, keeping state', async () => {
    await clickTimes('#counter-button', 2);
    await tab.waitForText('#counter-value', 'Count: 2');
    const before = await refreshCount();

    await app.edit('src/theme.ts', (src) =>
      src.replace("'rgb(0, 0, 255)'", "'rgb(255, 0, 0)'").replace("'devserver react playground'", "'edited title'"),
    );
    await tab.waitForText('#title', 'edited title');
    await tab.waitForStyle('#counter-value', 'color', 'rgb(255, 0, 0)');
    await tab.waitForText('#counter-value', 'Count: 2');
    await tab.expectNoReload();
    // Two boundaries (Title, Counter) accepted the update: one refresh for the batch.
    expect((await refreshCount()) - before).toBe(1);
    tab.expectNoErrors();
  });

  it('falls back to the importer when a module exporting a component and a constant changes the constant', async () => {
    await clickTimes('#counter-button', 2);
    await tab.waitForText('#counter-value', 'Count: 2');
    await clickTimes('#wave-button', 1);
    await tab.waitForText('#wave-button', 'waves: 1');

    await app.edit('src/Greeting.tsx', (src) => src.replace("export const GREETING = 'Hello';", "export const GREETING = 'Howdy';"));
    await tab.waitForText('#greeting', 'Howdy, world');
    // The module invalidated with a message naming the export, and its importer (App) ran again.
    await tab.waitForConsole(/invalidate .*Greeting\.tsx.*"GREETING" export is not a component/);
    await tab.expectNoReload();
    // The re-run importer was refreshed, not remounted: state is kept, the edited file's too.
    await tab.waitForText('#counter-value', 'Count: 2');
    await tab.waitForText('#wave-button', 'waves: 1');

    // An edit of only the component part of the same file is a plain Fast Refresh.
    await tab.click('#wave-button');
    await tab.waitForText('#wave-button', 'waves: 2');
    await app.edit('src/Greeting.tsx', (src) => src.replace('waves: {waves}', 'hands: {waves}'));
    await tab.waitForText('#wave-button', 'hands: 2');
    expect(tab.console.filter((e) => /invalidate .*Greeting\.tsx/.test(e.text))).toHaveLength(1);
    await tab.expectNoReload();
    tab.expectNoErrors();
  });

  it('invalidates with a message naming the export when a component module gains a non-component export', async () => {
    await clickTimes('#counter-button', 1);
    await tab.waitForText('#counter-value', 'Count: 1');

    await app.edit('src/Title.tsx', (src) => `${src}\nexport const subtitle = 'new';\n`);
    await tab.waitForConsole(/invalidate .*Title\.tsx.*"subtitle" export is new/);
    await tab.expectNoReload();
    await tab.waitForText('#counter-value', 'Count: 1');
    tab.expectNoErrors();
  });

  it('shows the overlay for a syntax error and keeps the state when it is fixed', async () => {
    await clickTimes('#counter-button', 3);
    await tab.waitForText('#counter-value', 'Count: 3');

    await app.edit('src/Counter.tsx', (src) => src.replace('<div className="counter">', '<div className="counter"'));
    await tab.page.waitForSelector(OVERLAY, { state: 'attached' });
    const overlayText = await tab.page.$eval(OVERLAY, (el) => el.shadowRoot?.textContent ?? '');
    expect(overlayText).toMatch(/Counter\.tsx/);
    await tab.expectNoReload();

    await app.edit('src/Counter.tsx', (src) =>
      src.replace('<div className="counter"', '<div className="counter">').replace('Count: {count}', 'Fixed: {count}'),
    );
    await tab.waitForText('#counter-value', 'Fixed: 3');
    await tab.page.waitForSelector(OVERLAY, { state: 'detached' });
    await tab.expectNoReload();
    // The one error logged is the syntax error this test provoked.
    tab.expectNoErrors([/^console\.error: \[devserver\] Expected `>` but found `<`$/]);
  });

  it("keeps a context provider's value across edits of the provider and of a consumer", async () => {
    await tab.click('#theme-button');
    await tab.waitForText('#theme-button', 'Theme: dark');

    await app.edit('src/ThemeLabel.tsx', (src) => src.replace('Theme: {theme}', 'Mode: {theme}'));
    await tab.waitForText('#theme-button', 'Mode: dark');

    await app.edit('src/ThemeProvider.tsx', (src) => src.replace('<div id="theme-root" className={theme}>', '<div id="theme-root" className={theme} data-edited="yes">'));
    await tab.page.waitForSelector('#theme-root[data-edited="yes"]');
    await tab.waitForText('#theme-button', 'Mode: dark');

    // The provider still works: its state and the consumer's view stay in step.
    await tab.click('#theme-button');
    await tab.waitForText('#theme-button', 'Mode: light');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });
});

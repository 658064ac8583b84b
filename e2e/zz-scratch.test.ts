import { afterEach, beforeEach, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage, type TestPage } from './harness/page.js';
import { startPlayground, type Playground } from './harness/playground.js';
const browser = useBrowser();
let app: Playground; let tab: TestPage;
beforeEach(async () => { app = await startPlayground('vanilla'); tab = await openPage(browser()); await tab.goto(app.url); });
afterEach(async () => { await tab.close(); await app.close(); });
it('detects a reload', async () => {
  await tab.waitForText('#counter-value', 'Count: 0');
  await tab.waitForReload(() => app.edit('src/counter.ts', (s) => s.replace("import.meta.hot.accept(", "if (Math.random() > 2) import.meta.hot.accept(").replace("const label = 'Count'", "const label = 'X'")));
  await tab.waitForText('#counter-value', 'X: 0');
  console.log(tab.console.map((e) => e.text).join('\n'));
  console.log(app.logs.join('\n'));
  await expect(tab.expectNoReload()).resolves.toBeUndefined();
  await app.edit('src/main.ts', (s) => s.replace('mode: ', 'MODE: '));
  await tab.waitForText('#mode', 'MODE: development');
  await expect(tab.expectNoReload()).rejects.toThrow(/full reload/);
});

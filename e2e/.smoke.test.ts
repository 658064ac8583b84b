import { it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage } from './harness/page.js';
import { startPlayground } from './harness/playground.js';
const browser = useBrowser();
it('smoke', async () => {
  const app = await startPlayground('hmr');
  const tab = await openPage(browser());
  try {
    await tab.goto(app.url);
    await tab.waitForText('#pipeline-removable', /holder/);
    await tab.waitForText('#events-pong', /pong/);
    const out = await tab.page.$$eval('output', (els) => els.map((e) => `${e.id} = ${e.textContent}`));
    console.log(out.join('\n'));
    console.log(tab.console.map((c) => c.type + ' ' + c.text).join('\n'));
    console.log(app.logs.join('\n'));
    tab.expectNoErrors();
  } finally {
    await tab.close();
    await app.close();
  }
});

/**
 * An app served under a base path (`base: '/app/'`): the page, its linked stylesheet and
 * public files, modules, assets and HMR all work under the prefix; outside it the server
 * says where the app is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage } from './harness/page.js';
import { startPlayground, type Playground } from './harness/playground.js';

const getBrowser = useBrowser();
let app: Playground;

beforeAll(async () => {
  app = await startPlayground('vanilla', { config: { base: '/app/' } });
});
afterAll(() => app?.close());

describe('base path', () => {
  it('serves the whole app under /app/ and applies updates', async () => {
    expect(app.url).toMatch(/\/app\/$/);
    const tab = await openPage(getBrowser());
    await tab.goto(app.url);
    await tab.waitForText('#mode', 'mode: development');
    await tab.page.waitForFunction(() => [...document.images].every((img) => img.complete));
    const images = await tab.page.evaluate(() => [...document.images].map((img) => [new URL(img.src).pathname, img.naturalWidth > 0]));
    for (const [src, loaded] of images) {
      expect(src).toMatch(/^\/app\//);
      expect(loaded).toBe(true);
    }
    tab.expectNoErrors();
    await app.edit('src/counter.ts', (old) => old.replace("const label = 'Count'", "const label = 'Taps'"));
    await tab.waitForText('#counter-value', /^Taps: /);
    await tab.expectNoReload();
    await tab.close();
  });

  it('points requests outside the base at the app', async () => {
    const res = await fetch(app.url.replace(/app\/$/, 'index.html'));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('this app is served under /app/; did you mean /app/index.html?');
    const redirect = await fetch(app.url.replace(/\/$/, ''), { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/app/');
  });
});

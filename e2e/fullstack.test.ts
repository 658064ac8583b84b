/**
 * playground/fullstack in Chromium: the page shows data from its Node backend through the
 * `/api` proxy; editing the backend restarts it (devserver holds the port, so no request
 * fails), the page gets `devserver:backend-restarted` and refetches without a reload; a
 * broken backend edit shows in the overlay while the old process keeps answering, and the
 * fix clears it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage } from './harness/page.js';
import { startPlayground, type Playground } from './harness/playground.js';

const getBrowser = useBrowser();
let app: Playground;

beforeAll(async () => {
  app = await startPlayground('fullstack');
  await app.server.backend!.started;
});

afterAll(async () => {
  await app?.close();
});

const overlayText = () =>
  document.querySelector('devserver-error-overlay')?.shadowRoot?.textContent ?? '';

describe('fullstack playground', () => {
  it('refetches from the restarted backend after an edit, without a reload', async () => {
    const page = await openPage(getBrowser());
    await page.goto(app.url);
    await page.waitForText('#message', 'hello from the backend');
    const servedBy = await page.page.textContent('#served-by');

    await app.edit('server/message.ts', (s) => s.replace('hello from the backend', 'edited on the server'));
    await page.waitForText('#message', 'edited on the server');
    await page.waitForText('#restarts', 'backend restarts: 1');
    expect(await page.page.textContent('#served-by')).not.toBe(servedBy);
    await page.expectNoReload();
    page.expectNoErrors();
    await page.close();
  });

  it('keeps the old backend serving through a broken edit and shows it in the overlay', async () => {
    const page = await openPage(getBrowser());
    await page.goto(app.url);
    await page.waitForText('#message', /^(hello from the backend|edited on the server)$/);
    const before = await page.page.textContent('#message');

    await app.edit('server/message.ts', (s) => s.replace(/export const message = /, 'export const message = = '));
    await page.page.waitForFunction(() => {
      const text = document.querySelector('devserver-error-overlay')?.shadowRoot?.textContent ?? '';
      return text.includes('backend build failed');
    });
    expect(await page.page.evaluate(overlayText)).toContain('server/message.ts');
    const res = await page.page.evaluate(async () => (await fetch('/api/message')).json());
    expect(res).toMatchObject({ message: before });

    await app.edit('server/message.ts', "export const message = 'fixed on the server';\n");
    await page.waitForText('#message', 'fixed on the server');
    await page.page.waitForFunction(() => !document.querySelector('devserver-error-overlay'));
    await page.expectNoReload();
    page.expectNoErrors([/backend build failed/]);
    await page.close();
  });
});

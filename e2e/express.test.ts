/**
 * devserver embedded in Express (middleware mode, one port): pages and modules through
 * Express, HMR over the shared http server's upgrade, the app's own API, websocket, 404 and
 * error handler untouched, and Express still serving after devserver closes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness/playground.js';
import { useBrowser } from './harness/browser.js';
import { openPage } from './harness/page.js';

const getBrowser = useBrowser();
let root: string;
let app: { url: string; close(): Promise<void>; devserver: { close(): Promise<void> } };

beforeAll(async () => {
  const source = path.join(REPO_ROOT, 'playground/express');
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-express-'));
  await fs.cp(source, root, { recursive: true, filter: (p) => !p.includes('node_modules') });
  await fs.symlink(path.join(source, 'node_modules'), path.join(root, 'node_modules'));
  const { startApp } = (await import(path.join(source, 'server.mjs'))) as { startApp: (o: object) => Promise<typeof app> };
  app = await startApp({
    root,
    port: 0,
    host: '127.0.0.1',
    devserverOptions: { logLevel: process.env.DEVSERVER_E2E_LOG ? 'info' : 'silent', cacheDir: path.join(root, '.devserver-cache'), server: { fs: { allow: [root, REPO_ROOT] } } },
  });
});

afterAll(async () => {
  await app?.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('devserver inside Express', () => {
  it('serves the page through Express; the API and the app websocket work', async () => {
    const page = await openPage(getBrowser());
    await page.goto(app.url);
    await page.waitForText('#message', 'hello from a hot module');
    await page.waitForText('#api', 'express says hi=1');
    await page.waitForText('#ws', 'echo:ping');
    page.expectNoErrors();
    await page.close();
  });

  it('applies an update over the shared port without a reload', async () => {
    const page = await openPage(getBrowser());
    await page.goto(app.url);
    await page.waitForText('#message', 'hello from a hot module');
    await fs.writeFile(path.join(root, 'src/message.ts'), "export const message = 'edited through express';\n");
    await page.waitForText('#message', 'edited through express');
    await page.expectNoReload();
    page.expectNoErrors();
    await page.close();
  });

  it('serves an HTML shell rendered by the app through transformIndexHtml, with HMR', async () => {
    const page = await openPage(getBrowser());
    await page.goto(`${app.url}shell`);
    await page.waitForText('#api', 'express says hi=1');
    await fs.writeFile(path.join(root, 'src/message.ts'), "export const message = 'edited in the shell';\n");
    await page.waitForText('#message', 'edited in the shell');
    await page.expectNoReload();
    page.expectNoErrors();
    await page.close();
  });

  it("leaves unknown routes to Express's 404 and does not fall back to index.html", async () => {
    const res = await fetch(`${app.url}some/route`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('express 404: /some/route');
  });

  it('keeps Express serving after devserver closes', async () => {
    await app.devserver.close();
    const res = await fetch(`${app.url}api/hello`);
    expect(await res.json()).toEqual({ hi: 1, from: 'express' });
    expect((await fetch(`${app.url}src/main.ts`)).status).toBe(404);
  });
});

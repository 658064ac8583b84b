/**
 * Errors outside updates: an uncaught error and an unhandled rejection thrown by the app's
 * code show in the overlay, with the stack mapped back to the original TypeScript lines.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from 'devserver';
import { useBrowser } from './harness/browser.js';
import { openPage } from './harness/page.js';

const getBrowser = useBrowser();
let root: string;
let server: DevServer;

const MAIN = [
  'interface Options { loud: boolean }',
  'const options: Options = { loud: true };',
  'function explode(): never {',
  "  throw new Error('exploded in main.ts');",
  '}',
  "document.querySelector('#throw')!.addEventListener('click', () => explode());",
  "document.querySelector('#reject')!.addEventListener('click', () => { void Promise.reject(new Error('rejected in main.ts')); });",
  "document.querySelector('#ready')!.textContent = options.loud ? 'ready' : 'quiet';",
].join('\n');

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-runtime-errors-'));
  await fs.mkdir(path.join(root, 'src'));
  await fs.writeFile(
    path.join(root, 'index.html'),
    '<!doctype html><link rel="icon" href="data:,"><button id="throw">throw</button><button id="reject">reject</button><p id="ready"></p><script type="module" src="/src/main.ts"></script>',
  );
  await fs.writeFile(path.join(root, 'src/main.ts'), MAIN);
  server = await createServer({ root, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
});
afterAll(async () => {
  await server?.close();
  await fs.rm(root, { recursive: true, force: true });
});

const overlayText = () => document.querySelector('devserver-error-overlay')?.shadowRoot?.textContent ?? '';

describe('runtime errors', () => {
  it('shows an uncaught error with its stack mapped to the TypeScript source', async () => {
    const tab = await openPage(getBrowser());
    await tab.goto(server.resolvedUrls!.local[0]);
    await tab.waitForText('#ready', 'ready');
    await tab.click('#throw');
    await tab.page.waitForFunction((fn) => new Function(`return (${fn})()`)().includes('/src/main.ts:4:'), overlayText.toString());
    const text = await tab.page.evaluate(overlayText);
    expect(text).toContain('Uncaught error: exploded in main.ts');
    expect(text).toMatch(/\/src\/main\.ts:4:9/);
    await tab.close();
  });

  it('shows an unhandled rejection', async () => {
    const tab = await openPage(getBrowser());
    await tab.goto(server.resolvedUrls!.local[0]);
    await tab.waitForText('#ready', 'ready');
    await tab.click('#reject');
    await tab.page.waitForFunction((fn) => new Function(`return (${fn})()`)().includes('rejected in main.ts'), overlayText.toString());
    expect(await tab.page.evaluate(overlayText)).toContain('Unhandled promise rejection: rejected in main.ts');
    await tab.close();
  });
});

/**
 * hmr-spec section 4 (errors) in a real browser, on playground/errors: a transform error
 * answers 500 and shows the overlay in every tab (also one opened later) with the message,
 * file:line:column, code frame and importer chain; the fix closes it and applies without a
 * reload (or reloads a tab that could not run). Errors while applying an update (a throw,
 * a missing export, an accept callback that throws, a failed fetch) show the overlay and
 * keep the page; the next good update applies. The overlay escapes text, closes on Escape
 * and on a click outside, and `server.overlay: false` turns it off. Its file:line link
 * opens the editor through `/@devserver/open-in-editor` (run here with a fake editor).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage, type TestPage } from './harness/page.js';
import { startPlayground, type Playground, type PlaygroundOptions } from './harness/playground.js';

const browser = useBrowser();
let app: Playground | undefined;
let tabs: TestPage[] = [];

afterEach(async () => {
  await Promise.all(tabs.map((t) => t.close()));
  tabs = [];
  await app?.close();
  app = undefined;
});

const OVERLAY = 'devserver-error-overlay';
/** Page problems the provoked errors cause (the 500, the runtime's console.error lines). */
const EXPECTED = [/HTTP 500/, /console\.error: \[devserver\]/, /console\.error: Failed to load resource/];

async function start(options?: PlaygroundOptions): Promise<Playground> {
  app = await startPlayground('errors', options);
  return app;
}

/** Opens a tab on the app; `ready` waits for the entry to have run. */
async function open(ready = true): Promise<TestPage> {
  const tab = await openPage(browser());
  tabs.push(tab);
  await tab.goto(app!.url);
  if (ready) await tab.page.waitForFunction(() => document.body.dataset.ready === 'true');
  return tab;
}

/** The overlay's text (its shadow DOM), or null when there is no overlay. */
function overlayText(tab: TestPage): Promise<string | null> {
  return tab.page.evaluate((tag) => document.querySelector(tag)?.shadowRoot?.textContent ?? null, OVERLAY);
}

/** Waits until the overlay shows text matching `pattern`; returns the text. */
async function waitForOverlay(tab: TestPage, pattern: RegExp): Promise<string> {
  await tab.page.waitForFunction(
    ({ tag, source, flags }) => new RegExp(source, flags).test(document.querySelector(tag)?.shadowRoot?.textContent ?? ''),
    { tag: OVERLAY, source: pattern.source, flags: pattern.flags },
  );
  return (await overlayText(tab))!;
}

async function waitForNoOverlay(tab: TestPage): Promise<void> {
  await tab.page.waitForFunction((tag) => document.querySelector(tag) === null, OVERLAY);
}

async function click(tab: TestPage, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await tab.click('#count');
  await tab.waitForText('#clicks', `clicks: ${times}`);
}

const editWidget = (replace: (src: string) => string) => app!.edit('src/widget.ts', replace);
const label = (version: string) => (src: string) => src.replace(/'widget v\d+'/, `'widget ${version}'`);

describe('transform errors', () => {
  it('answer 500 and show the overlay in every open tab; the fix applies without a reload', async () => {
    await start();
    const [a, b] = [await open(), await open()];
    await click(a, 2);

    await editWidget((src) => src.replace("export const label = 'widget v1';", 'export const label = ;'));
    for (const tab of [a, b]) {
      const text = await waitForOverlay(tab, /widget\.ts:3:\d+/);
      expect(text).toContain('Unexpected token'); // the message
      expect(text).toContain(`${app!.file('src/widget.ts')}:3:22`); // file:line:column
      expect(text).toMatch(/> 3 \| export const label = ;/); // the code frame
      expect(text).toContain('/src/main.ts'); // the importer chain
    }
    const status = await a.page.evaluate(() => fetch('/@devserver/modules?ids=/src/widget.ts').then((r) => r.status));
    expect(status).toBe(500);
    // One terminal message: the error, where, the frame, the chain.
    const terminal = app!.logs.join('\n');
    expect(terminal).toContain('error: Unexpected token');
    expect(terminal).toContain(`at ${app!.file('src/widget.ts')}:3:22`);

    await editWidget((src) => src.replace('export const label = ;', "export const label = 'widget v2';"));
    for (const tab of [a, b]) {
      await waitForNoOverlay(tab);
      await tab.waitForText('#widget', 'widget v2 (helper)');
      await tab.expectNoReload();
      tab.expectNoErrors(EXPECTED);
    }
    await a.waitForText('#clicks', 'clicks: 2');
  });

  it('show the overlay in a tab opened while the error persists; the fix reloads that tab', async () => {
    await start();
    const a = await open();
    await click(a, 1);
    await editWidget((src) => src.replace("import { helper } from './helper.ts';", "import { helper } from './nowhere.ts';"));
    await waitForOverlay(a, /nowhere\.ts/);

    const late = await open(false);
    const text = await waitForOverlay(late, /nowhere\.ts/);
    expect(text).toContain('/src/main.ts');

    await late.waitForReload(() => editWidget((src) => label('v2')(src.replace("'./nowhere.ts'", "'./helper.ts'"))));
    await late.waitForText('#widget', 'widget v2 (helper)');
    await waitForNoOverlay(late);
    // The tab that ran all along applies the fix in place.
    await waitForNoOverlay(a);
    await a.waitForText('#widget', 'widget v2 (helper)');
    await a.waitForText('#clicks', 'clicks: 1');
    await a.expectNoReload();
    a.expectNoErrors(EXPECTED);
  });

  it('heal when the missing file is created', async () => {
    await start();
    const tab = await open();
    await editWidget((src) => src.replace("import { helper } from './helper.ts';", "import { helper } from './later.ts';"));
    await waitForOverlay(tab, /later\.ts/);
    await app!.add('src/later.ts', "export const helper = () => '(later)';\n");
    await waitForNoOverlay(tab);
    await tab.waitForText('#widget', 'widget v1 (later)');
    await tab.expectNoReload();
    tab.expectNoErrors(EXPECTED);
  });
});

describe('errors while applying an update', () => {
  it('a module that throws: overlay with the cause and the module, escaped; the page keeps its state', async () => {
    await start();
    const tab = await open();
    await click(tab, 3);
    await tab.waitForText('#widget', 'widget v1 (helper)');

    const payload = '<img src=x onerror="window.__xss = 1">boom';
    await editWidget((src) => `${src}\nthrow new Error(${JSON.stringify(payload)});\n`);
    const text = await waitForOverlay(tab, /boom/);
    expect(text).toContain(payload);
    expect(text).toContain('/src/widget.ts');
    await tab.page.locator(`${OVERLAY} .message`).waitFor({ state: 'visible' });
    const shadow = await tab.page.evaluate((tag) => {
      const root = document.querySelector(tag)!.shadowRoot!;
      return {
        imgs: root.querySelectorAll('img').length,
        message: root.querySelector<HTMLElement>('.message')?.innerText ?? null,
        xss: (window as unknown as { __xss?: number }).__xss,
      };
    }, OVERLAY);
    expect(shadow.imgs).toBe(0); // no element was made from the message
    expect(shadow.message).toContain(payload); // it is shown as text
    expect(shadow.xss).toBeUndefined();

    await tab.waitForText('#widget', 'widget v1 (helper)');
    await tab.waitForText('#clicks', 'clicks: 3');
    await tab.expectNoReload();

    await editWidget((src) => label('v2')(src.replace(`\nthrow new Error(${JSON.stringify(payload)});\n`, '')));
    await waitForNoOverlay(tab);
    await tab.waitForText('#widget', 'widget v2 (helper)');
    await tab.waitForText('#clicks', 'clicks: 3');
    await tab.expectNoReload();
    tab.expectNoErrors([...EXPECTED, /boom/]);
  });

  it('a missing export: overlay naming it; the next good update applies', async () => {
    await start();
    const tab = await open();
    await click(tab, 1);
    await editWidget((src) => src.replace('import { helper }', 'import { helper, nothing }').replace('${helper()}', '${helper()}${String(nothing)}'));
    await waitForOverlay(tab, /nothing/);
    await tab.waitForText('#widget', 'widget v1 (helper)');

    await editWidget((src) => label('v2')(src.replace('import { helper, nothing }', 'import { helper }').replace('${String(nothing)}', '')));
    await waitForNoOverlay(tab);
    await tab.waitForText('#widget', 'widget v2 (helper)');
    await tab.waitForText('#clicks', 'clicks: 1');
    await tab.expectNoReload();
    tab.expectNoErrors([...EXPECTED, /nothing/]);
  });

  it('an accept callback that throws: overlay with its error; the next good update applies', async () => {
    await start();
    const tab = await open();
    await click(tab, 2);
    await app!.edit('src/accepted.ts', (src) => src.replace("'accepted v1'", "'accepted v2'").replace('fail = false', 'fail = true'));
    await waitForOverlay(tab, /accept callback failed for accepted v2/);

    await app!.edit('src/accepted.ts', (src) => src.replace("'accepted v2'", "'accepted v3'").replace('fail = true', 'fail = false'));
    await waitForNoOverlay(tab);
    await tab.waitForText('#accepted', 'accepted v3');
    await tab.waitForText('#clicks', 'clicks: 2');
    await tab.expectNoReload();
    tab.expectNoErrors([...EXPECTED, /accept callback failed/]);
  });

  it('a failed fetch of the new code: overlay with the cause; the next update applies', async () => {
    await start();
    const tab = await open();
    await click(tab, 1);
    // Small updates bring their code in the manifest; a new version that imports a module
    // this tab never loaded still has to fetch that module's graph: make that fetch fail.
    await app!.add('src/late.ts', "export const late = '';\n");
    await tab.page.route('**/@devserver/{modules,graph}?*', (route) => route.abort());
    await editWidget((src) => label('v2')(src).replace("import { helper } from './helper.ts';", "import { helper } from './helper.ts';\nimport './late.ts';"));
    const text = await waitForOverlay(tab, /fetch/i);
    expect(text).toContain('/src/widget.ts');
    await tab.waitForText('#widget', 'widget v1 (helper)');

    await tab.page.unroute('**/@devserver/{modules,graph}?*');
    await editWidget(label('v3'));
    await waitForNoOverlay(tab);
    await tab.waitForText('#widget', 'widget v3 (helper)');
    await tab.waitForText('#clicks', 'clicks: 1');
    await tab.expectNoReload();
    tab.expectNoErrors([...EXPECTED, /fetch/i, /net::ERR_FAILED/]);
  });
});

describe('the overlay element', () => {
  it('is readable, and closes on Escape and on a click outside its panel', async () => {
    await start();
    const tab = await open();
    await editWidget((src) => src.replace("export const label = 'widget v1';", 'export const label = ;'));
    await waitForOverlay(tab, /widget\.ts/);
    const panel = tab.page.locator(`${OVERLAY} [role=alertdialog]`);
    await panel.waitFor({ state: 'visible' });
    await tab.page.keyboard.press('Escape');
    await waitForNoOverlay(tab);

    // Another error opens it again; a click on the backdrop (outside the panel) closes it.
    await editWidget((src) => src.replace('export const label = ;', 'export const label = );'));
    await waitForOverlay(tab, /widget\.ts/);
    await tab.page.locator(`${OVERLAY} [role=alertdialog]`).waitFor({ state: 'visible' });
    await tab.page.locator(`${OVERLAY} .footer`).click(); // inside the panel: it stays
    expect(await overlayText(tab)).not.toBeNull();
    await tab.page.mouse.click(5, 5);
    await waitForNoOverlay(tab);
    await tab.expectNoReload();
  });

  it('is not shown with server.overlay: false', async () => {
    await start({ config: { server: { overlay: false } } });
    const tab = await open();
    await editWidget((src) => src.replace("export const label = 'widget v1';", 'export const label = ;'));
    await tab.waitForConsole(/\[devserver\].*(Unexpected|Expected|expression)/i);
    await editWidget((src) => `${label('v2')(src.replace('export const label = ;', "export const label = 'widget v1';"))}\nthrow new Error('thrown while updating');\n`);
    await tab.waitForConsole(/thrown while updating/);
    expect(await tab.page.evaluate((tag) => document.querySelector(tag) === null, OVERLAY)).toBe(true);
    await tab.expectNoReload();
  });
});

describe('open in editor', () => {
  let editorDir: string | undefined;
  const savedEditor = process.env.EDITOR;

  afterEach(() => {
    if (savedEditor === undefined) delete process.env.EDITOR;
    else process.env.EDITOR = savedEditor;
    if (editorDir) rmSync(editorDir, { recursive: true, force: true });
    editorDir = undefined;
  });

  /** A fake `code` that writes its arguments to a file; returns where. */
  function fakeEditor(): string {
    editorDir = mkdtempSync(path.join(os.tmpdir(), 'devserver-fake-editor-'));
    const out = path.join(editorDir, 'args.json');
    const script = path.join(editorDir, 'code');
    // Written then renamed, so the test never reads a half-written file.
    const code = `const fs = require('node:fs');\nfs.writeFileSync(${JSON.stringify(out + '.tmp')}, JSON.stringify(process.argv.slice(2)));\nfs.renameSync(${JSON.stringify(out + '.tmp')}, ${JSON.stringify(out)});\n`;
    writeFileSync(script, `#!${process.execPath}\n${code}`);
    chmodSync(script, 0o755);
    process.env.EDITOR = script;
    return out;
  }

  async function argsWritten(out: string): Promise<string[]> {
    await vi.waitFor(() => expect(existsSync(out)).toBe(true), { timeout: 10_000, interval: 50 });
    return JSON.parse(readFileSync(out, 'utf8')) as string[];
  }

  it("the overlay's file:line link opens the file in the editor", async () => {
    const out = fakeEditor();
    await start();
    const tab = await open();
    await editWidget((src) => src.replace("export const label = 'widget v1';", 'export const label = ;'));
    await waitForOverlay(tab, /widget\.ts:3/);
    await tab.page.locator(`${OVERLAY} .file`).click();
    const args = await argsWritten(out);
    expect(args[0]).toBe('-g');
    expect(args[1]).toMatch(new RegExp(`^${app!.file('src/widget.ts').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+$`));
  });

  it('the endpoint refuses cross-origin requests and files outside the root, and opens same-origin ones', async () => {
    const out = fakeEditor();
    await start();
    const tab = await open();
    const endpoint = new URL('/@devserver/open-in-editor', app!.url);
    const query = (file: string) => `${endpoint.href}?file=${encodeURIComponent(file)}`;

    const crossSite = await fetch(query('/src/main.ts'), { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await fetch(query('/src/main.ts'), { headers: { origin: 'http://evil.example' } });
    expect(foreignOrigin.status).toBe(403);
    const statuses = await tab.page.evaluate(
      (urls) => Promise.all(urls.map((u) => fetch(u).then((r) => r.status))),
      ['/etc/passwd', path.join(app!.root, '..', 'outside.ts'), '/src/../../../etc/passwd'].map(query),
    );
    expect(statuses).toEqual([403, 403, 403]);
    expect(existsSync(out)).toBe(false);

    const ok = await tab.page.evaluate((u) => fetch(u).then((r) => r.status), `${endpoint.pathname}?file=/src/main.ts&line=3`);
    expect(ok).toBe(204);
    expect(await argsWritten(out)).toEqual(['-g', `${app!.file('src/main.ts')}:3:1`]);
  });
});

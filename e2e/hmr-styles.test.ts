/**
 * hmr-spec section 3 (CSS, HTML, assets) in a real browser, on playground/styles:
 * linked stylesheets swap without a flash, CSS imported from JS updates its <style> in
 * place (and goes when the import goes), `@import`ed and `composes`d files update their
 * parent, CSS modules swap only the CSS unless the class names change, HTML edits reload
 * only the tabs showing that page, public files and assets referenced from HTML reload the
 * tabs using them, and assets imported from JS are accepted like any module.
 *
 * "This tab did not reload" is checked after a sentinel: an edit of src/shared.css, linked
 * from every page, which each tab applies in order after the messages before it. Once the
 * sentinel's colour shows, every earlier message was handled, so no fixed wait is needed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { openPage, type TestPage } from './harness/page.js';
import { startPlayground, type Playground } from './harness/playground.js';

const browser = useBrowser();
let app: Playground;
let tabs: TestPage[];
let sentinel: number;

beforeEach(async () => {
  app = await startPlayground('styles');
  tabs = [];
  sentinel = 0;
});

afterEach(async () => {
  await Promise.all(tabs.map((t) => t.close()));
  await app?.close();
});

/** Opens a tab on `path` of the app and waits until its entry ran. */
async function open(path = '/'): Promise<TestPage> {
  const tab = await openPage(browser());
  tabs.push(tab);
  await tab.goto(new URL(path, app.url).href);
  await tab.page.waitForFunction(() => document.body.dataset.ready === 'true');
  return tab;
}

/** Edits src/shared.css and waits until every tab in `which` shows it (see the header). */
async function sync(...which: TestPage[]): Promise<void> {
  sentinel++;
  const colour = `rgb(255, 255, ${255 - sentinel})`;
  await app.edit('src/shared.css', (css) => css.replace(/background-color: rgb\([^)]*\);/, `background-color: ${colour};`));
  for (const tab of which) await tab.waitForStyle('body', 'background-color', colour);
}

interface LinkLog {
  /** Fewest matching links in the document at any point since the watch began. */
  min: number;
  /** `add|load|remove <href>`, in the order they happened. */
  events: string[];
}

/**
 * Watches the `<link rel=stylesheet>` elements of `pathname`: replays every mutation record
 * in order (so a remove-then-add within one task still shows the moment with none), and
 * records their load events (capture phase, before the runtime's own handler runs).
 */
function watchLinks(pathname: string): void {
  const matches = (n: unknown): n is HTMLLinkElement =>
    n instanceof HTMLLinkElement && n.rel === 'stylesheet' && new URL(n.href).pathname === pathname;
  let count = Array.from(document.querySelectorAll('link')).filter(matches).length;
  const log: LinkLog = { min: count, events: [] };
  (window as unknown as { __links: LinkLog }).__links = log;
  document.addEventListener('load', (e) => matches(e.target) && log.events.push(`load ${e.target.getAttribute('href')}`), true);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const n of Array.from(record.addedNodes)) {
        if (!matches(n)) continue;
        count++;
        log.events.push(`add ${n.getAttribute('href')}`);
      }
      for (const n of Array.from(record.removedNodes)) {
        if (!matches(n)) continue;
        count--;
        log.min = Math.min(log.min, count);
        log.events.push(`remove ${n.getAttribute('href')}`);
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

/** Asserts one swap of `pathname`'s link: a new one added and loaded before the old one went. */
async function expectSwapWithoutFlash(tab: TestPage, pathname: string): Promise<void> {
  await tab.page.waitForFunction(
    (p) => Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]')).filter((l) => new URL(l.href).pathname === p).length === 1,
    pathname,
  );
  const log = await tab.page.evaluate(() => (window as unknown as { __links: LinkLog }).__links);
  expect(log.min, `links of ${pathname} in the document at some point (${log.events.join(', ')})`).toBeGreaterThanOrEqual(1);
  const added = log.events.find((e) => e.startsWith('add '))?.slice(4);
  expect(added, log.events.join(', ')).toMatch(/[?&]v=/);
  const removed = log.events.findIndex((e) => e.startsWith('remove '));
  expect(log.events.indexOf(`load ${added}`), log.events.join(', ')).toBeGreaterThanOrEqual(0);
  expect(log.events.indexOf(`load ${added}`), log.events.join(', ')).toBeLessThan(removed);
}

describe('linked stylesheets', () => {
  it('swaps an edited <link rel=stylesheet>: the new one loads before the old one goes, no reload', async () => {
    const tab = await open();
    await tab.waitForStyle('#linked', 'color', 'rgb(0, 0, 128)');
    await tab.page.evaluate(watchLinks, '/src/linked.css');

    await app.edit('src/linked.css', (css) => css.replace('color: rgb(0, 0, 128);', 'color: rgb(0, 128, 0);'));
    await tab.waitForStyle('#linked', 'color', 'rgb(0, 128, 0)');
    await expectSwapWithoutFlash(tab, '/src/linked.css');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });

  it('swaps the parent link when an @imported file changes', async () => {
    const tab = await open();
    await tab.waitForStyle('#title', 'font-weight', '700');
    await tab.page.evaluate(watchLinks, '/src/linked.css');

    await app.edit('src/linked-base.css', (css) => css.replace('font-weight: 700;', 'font-weight: 300;'));
    await tab.waitForStyle('#title', 'font-weight', '300');
    await expectSwapWithoutFlash(tab, '/src/linked.css');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });
});

describe('CSS imported from JS', () => {
  const styleOf = (id: string) => `style[data-devserver-id="${id}"]`;

  it('updates its <style> in place, also when an @imported file changes', async () => {
    const tab = await open();
    await tab.waitForStyle('#imported', 'color', 'rgb(0, 100, 0)');
    await tab.waitForStyle('#imported-dep', 'color', 'rgb(100, 0, 0)');
    await tab.page.evaluate((sel) => (document.querySelector<HTMLElement>(sel)!.dataset.mark = 'first'), styleOf('/src/imported.css'));

    await app.edit('src/imported.css', (css) => css.replace('color: rgb(0, 100, 0);', 'color: rgb(0, 200, 0);'));
    await tab.waitForStyle('#imported', 'color', 'rgb(0, 200, 0)');
    await app.edit('src/imported-dep.css', (css) => css.replace('color: rgb(100, 0, 0);', 'color: rgb(200, 0, 0);'));
    await tab.waitForStyle('#imported-dep', 'color', 'rgb(200, 0, 0)');

    // Still the one element it was first inserted as (cascade order kept), and no stale copy.
    const styles = await tab.page.$$eval(styleOf('/src/imported.css'), (els) => els.map((el) => (el as HTMLElement).dataset.mark));
    expect(styles).toEqual(['first']);
    await tab.expectNoReload();
    tab.expectNoErrors();
  });

  it('removes the style when the import is removed', async () => {
    const tab = await open();
    await tab.waitForStyle('#extra', 'color', 'rgb(128, 0, 128)');

    await app.edit('src/extra-host.ts', (src) => src.replace("import './extra.css';\n", ''));
    await tab.page.waitForFunction((sel) => document.querySelector(sel) === null, styleOf('/src/extra.css'));
    await tab.waitForStyle('#extra', 'color', 'rgb(0, 0, 0)');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });
});

describe('CSS modules', () => {
  it('swaps only the CSS when the class names stay the same (also for a composed-from file)', async () => {
    const tab = await open();
    await tab.waitForStyle('#card', 'color', 'rgb(0, 0, 200)');
    await tab.waitForStyle('#card', 'font-style', 'italic');
    await tab.waitForText('#card-runs', 'runs: 1');
    const className = await tab.page.$eval('#card', (el) => el.className);
    expect(className).toMatch(/^base_[0-9a-f]{5}_base card_[0-9a-f]{5}_card$/);

    await app.edit('src/card.module.css', (css) => css.replace('color: rgb(0, 0, 200);', 'color: rgb(200, 0, 0);'));
    await tab.waitForStyle('#card', 'color', 'rgb(200, 0, 0)');
    await app.edit('src/base.module.css', (css) => css.replace('font-style: italic;', 'font-style: normal;'));
    await tab.waitForStyle('#card', 'font-style', 'normal');
    await sync(tab);

    // card.ts, the importer, did not run again: nothing but the CSS changed.
    await tab.waitForText('#card-runs', 'runs: 1');
    expect(await tab.page.$eval('#card', (el) => el.className)).toBe(className);
    await tab.expectNoReload();
    tab.expectNoErrors();
  });

  it('sends the update on to the importers when the class names change', async () => {
    const tab = await open();
    await tab.waitForText('#card-badge', 'no badge');

    await app.edit('src/card.module.css', (css) => `${css}\n.badge {\n  text-decoration: underline;\n}\n`);
    await tab.waitForText('#card-badge', /^card_[0-9a-f]{5}_badge$/);
    await tab.waitForText('#card-runs', 'runs: 2');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });
});

describe('HTML pages', () => {
  it('reloads only the tabs showing the edited page, SPA fallback routes included', async () => {
    const index = await open('/');
    const spa = await open('/some/route');
    const about = await open('/about.html');

    await about.waitForReload(() => app.edit('about.html', (html) => html.replace('>about page<', '>about page, edited<')));
    await about.waitForText('#about-text', 'about page, edited');
    await sync(index, spa, about);
    await index.expectNoReload();
    await spa.expectNoReload();

    await Promise.all([
      index.waitForReload(() => app.edit('index.html', (html) => html.replace('>styles playground<', '>styles playground, edited<'))),
      spa.waitForReload(async () => undefined),
    ]);
    await index.waitForText('#title', 'styles playground, edited');
    await spa.waitForText('#title', 'styles playground, edited');
    await sync(index, spa, about);
    await about.expectNoReload();
    for (const tab of [index, spa, about]) tab.expectNoErrors();
  });
});

describe('public files and assets referenced from HTML', () => {
  it('reload the tabs that use them and no other', async () => {
    const index = await open('/');
    const about = await open('/about.html');

    await index.waitForReload(() => app.edit('public/banner.svg', (svg) => svg.replace('rgb(0,128,255)', 'rgb(255,0,0)')));
    await sync(index, about);
    await about.expectNoReload();

    await index.waitForReload(() => app.edit('src/assets/photo.svg', (svg) => svg.replace('rgb(255,128,0)', 'rgb(0,255,0)')));
    await sync(index, about);
    await about.expectNoReload();

    await index.page.waitForFunction(() =>
      ['#public-img', '#html-img'].every((sel) => {
        const img = document.querySelector<HTMLImageElement>(sel);
        return img !== null && img.complete && img.naturalWidth > 0;
      }),
    );
    index.expectNoErrors();
    about.expectNoErrors();
  });
});

describe('assets imported from JS', () => {
  it('are modules whose default export changes with the file, accepted by their importer', async () => {
    const tab = await open();
    await tab.waitForText('#notes', 'notes v1');
    await tab.waitForText('#data', 'styles v1');
    const url = (await tab.page.textContent('#logo-url'))!;
    const explicit = (await tab.page.textContent('#logo-explicit'))!;
    expect(url).toMatch(/^\/src\/assets\/logo\.svg(\?v=[\w-]+)?$/);

    await app.edit('src/assets/logo.svg', (svg) => svg.replace('rgb(10,10,10)', 'rgb(250,10,10)'));
    await tab.page.waitForFunction((old) => document.querySelector('#logo-url')?.textContent !== old, url);
    await tab.page.waitForFunction((old) => document.querySelector('#logo-explicit')?.textContent !== old, explicit);
    expect(await tab.page.textContent('#logo-url')).toMatch(/^\/src\/assets\/logo\.svg\?v=[\w-]+$/);
    await tab.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#logo-img');
      return img !== null && img.complete && img.naturalWidth > 0 && img.src.includes('?v=');
    });

    await app.edit('src/notes.txt', 'notes v2\n');
    await tab.waitForText('#notes', 'notes v2');
    await app.edit('src/data.json', (json) => json.replace('"version": 1', '"version": 2'));
    await tab.waitForText('#data', 'styles v2');

    await tab.expectNoReload();
    tab.expectNoErrors();
  });
});

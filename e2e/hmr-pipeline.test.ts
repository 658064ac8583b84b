/**
 * The way from a save on disk to a page in a real browser (hmr-spec.md sections 1 and 5), on
 * playground/hmr: how saves are seen (rapid, atomic, truncate-then-write, no-op), files
 * deleted and created, several tabs each deciding on their own, a dropped websocket that
 * reconnects and is replayed what it missed, and server restarts.
 *
 * The main block shares one temp copy of the playground (reset between tests, see
 * hmrFixture.ts) with debug logging on, so a test can wait for the server to have looked
 * at a save that changed nothing. Restarts get their own copy.
 */
import { writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { eventually, indexReady, otherReady, replaceIn, useHmrPlayground, waitForLog, type HmrTab } from './hmrFixture.js';

const browser = useBrowser();
const VALUE = 'src/pipeline/value.ts';
const VALUE_ID = '/src/pipeline/value.ts';
const OVERLAY = 'devserver-error-overlay';
const NOTICE = 'devserver-connection-notice';

const ready = indexReady;
const readyOther = otherReady;

/** The version numbers `value v<n>` in a recorded history, failing on any other text. */
function versions(history: string[]): number[] {
  return history.map((text) => {
    const match = /^value v(\d+)$/.exec(text);
    if (!match) throw new Error(`#pipeline-value showed ${JSON.stringify(text)} (history: ${JSON.stringify(history)})`);
    return Number(match[1]);
  });
}

describe('HMR pipeline in playground/hmr', () => {
  const hmr = useHmrPlayground(browser, { config: { debug: true } });
  const edit = (file: string, from: string, to: string) => replaceIn(hmr.app(), file, from, to);
  const valueSource = (n: number, src: string) => src.replace(`'value v1'`, `'value v${n}'`);

  /** An edit of the shared banner applies in `tab` in place (the tab is alive and hot). */
  async function expectStillHot(tabs: HmrTab[], n: number): Promise<void> {
    await edit('src/shared/banner.ts', /banner v\d+/.exec(await hmr.app().read('src/shared/banner.ts'))![0], `banner v${n}`);
    for (const tab of tabs) {
      await tab.waitForText('#banner', `banner v${n}`);
      await tab.expectNoReload();
    }
  }

  describe('saves', () => {
    it('10 saves back to back (no await between them, a few ms in all): the page ends on the last one, in order, no reload', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.recordText('#pipeline-value');
      const src = await hmr.app().read(VALUE);
      for (let n = 2; n <= 11; n++) writeFileSync(hmr.app().file(VALUE), valueSource(n, src));

      await tab.waitForText('#pipeline-value', 'value v11');
      await hmr.app().server.waitForIdle();
      await expectStillHot([tab], 2);
      const seen = versions(await tab.history('#pipeline-value'));
      expect(seen[0]).toBe(1);
      expect(seen.at(-1)).toBe(11);
      // Never a stale version after a newer one.
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(new Set(seen).size).toBe(seen.length);
      tab.expectNoErrors();
    });

    it('10 saves with fs.writeFile (truncate, then write) back to back: ends on the last one, no reload', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.recordText('#pipeline-value');
      const src = await hmr.app().read(VALUE);
      for (let n = 2; n <= 11; n++) await fs.writeFile(hmr.app().file(VALUE), valueSource(n, src));

      await tab.waitForText('#pipeline-value', 'value v11');
      await hmr.app().server.waitForIdle();
      await expectStillHot([tab], 2);
      const seen = versions(await tab.history('#pipeline-value'));
      expect(seen.at(-1)).toBe(11);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      tab.expectNoErrors();
    });

    it('an atomic save (write a temp file, rename it over) applies', async () => {
      const tab = await hmr.open();
      await ready(tab);
      const src = await hmr.app().read(VALUE);
      const temp = hmr.app().file(`${VALUE}.tmp`);
      await fs.writeFile(temp, valueSource(2, src));
      await fs.rename(temp, hmr.app().file(VALUE));
      await tab.waitForText('#pipeline-value', 'value v2');
      await tab.expectNoReload();
      // And again: the watcher still follows the file that replaced the old one.
      await fs.writeFile(temp, valueSource(3, src));
      await fs.rename(temp, hmr.app().file(VALUE));
      await tab.waitForText('#pipeline-value', 'value v3');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('truncate, then write 30 ms later: the page never shows the empty file, and ends on the new content', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.recordText('#pipeline-value');
      const next = valueSource(2, await hmr.app().read(VALUE));
      const handle = await fs.open(hmr.app().file(VALUE), 'w'); // the file is empty from here ...
      try {
        await delay(30); // ... for 30 ms: the gap is the scenario, not a wait for a result
        await handle.writeFile(next);
      } finally {
        await handle.close();
      }
      await tab.waitForText('#pipeline-value', 'value v2');
      await hmr.app().server.waitForIdle();
      await expectStillHot([tab], 2);
      // An empty value.ts accepts nothing: had it been served, the page would have reloaded.
      expect(await tab.history('#pipeline-value')).toEqual(['value v1', 'value v2']);
      expect(tab.updatesOf(VALUE_ID)).toHaveLength(1);
      tab.expectNoErrors();
    });

    it('a save that changes nothing sends nothing', async () => {
      const tab = await hmr.open();
      await ready(tab);
      const src = await hmr.app().read(VALUE);
      const from = hmr.app().logs.length;
      await fs.writeFile(hmr.app().file(VALUE), src);
      // The server saw the save and decided it was a no-op ...
      await waitForLog(hmr.app(), /change set after .*: change src\/pipeline\/value\.ts/, from);
      await waitForLog(hmr.app(), /nothing changed in what was served: no update sent/, from);
      // ... and the pipeline is alive: the next real edit arrives.
      await fs.writeFile(hmr.app().file(VALUE), valueSource(2, src));
      await tab.waitForText('#pipeline-value', 'value v2');
      await tab.waitForText('#events-update-count', 'updates: 1');
      expect(tab.updatesOf(VALUE_ID)).toHaveLength(1);
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('two files saved together arrive as one update', async () => {
      const tab = await hmr.open();
      await ready(tab);
      const a = (await hmr.app().read('src/deps/a.ts')).replace(`'a v1'`, `'a v2'`);
      const b = (await hmr.app().read('src/deps/b.ts')).replace(`'b v1'`, `'b v2'`);
      writeFileSync(hmr.app().file('src/deps/a.ts'), a);
      writeFileSync(hmr.app().file('src/deps/b.ts'), b);
      // pair.ts accepts both as an array: one callback with both slots filled.
      await tab.waitForText('#dep-array', 'a: a v2, b: b v2');
      const updates = tab.frames.filter((f) => f.type === 'update');
      expect(updates.map((u) => u.changed?.map((c) => c.id))).toEqual([['/src/deps/a.ts', '/src/deps/b.ts']]);
      await tab.expectNoReload();
      tab.expectNoErrors();
    });
  });

  describe('files deleted and created', () => {
    it('deleting an imported file shows the error; creating it again heals the page without a reload', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#pipeline-removable', 'holder.ts shows removable v1');
      const src = await hmr.app().read('src/pipeline/removable.ts');
      await hmr.app().remove('src/pipeline/removable.ts');
      await tab.page.waitForSelector(OVERLAY);
      const overlayText = await tab.page.locator(`${OVERLAY} .panel`).innerText();
      expect(overlayText).toContain('removable');
      await tab.expectNoReload();

      await hmr.app().add('src/pipeline/removable.ts', src.replace(`'removable v1'`, `'removable v2'`));
      await tab.waitForText('#pipeline-removable', 'holder.ts shows removable v2');
      await tab.page.waitForSelector(OVERLAY, { state: 'detached' });
      await tab.expectNoReload();
      tab.expectNoErrors([/removable/]);
    });

    it('an import of a file that does not exist yet heals when the file is created', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await hmr.app().edit('src/pipeline/holder.ts', (src) =>
        `import { later } from './later.ts';\n${src.replace('holder.ts shows ${removable}', 'holder.ts shows ${removable} and ${later}')}`,
      );
      await tab.page.waitForSelector(OVERLAY);
      await tab.expectNoReload();
      await hmr.app().add('src/pipeline/later.ts', `export const later = 'later v1';\n`);
      await tab.waitForText('#pipeline-removable', 'holder.ts shows removable v1 and later v1');
      await tab.page.waitForSelector(OVERLAY, { state: 'detached' });
      await tab.expectNoReload();
      tab.expectNoErrors([/later/]);
    });

    it('a hot update that imports a module this tab never loaded fetches it and applies', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await hmr.app().add('src/pipeline/fresh.ts', `export const fresh = 'fresh v1';\n`);
      await hmr.app().edit('src/pipeline/holder.ts', (src) =>
        `import { fresh } from './fresh.ts';\n${src.replace('holder.ts shows ${removable}', 'holder.ts shows ${removable} and ${fresh}')}`,
      );
      await tab.waitForText('#pipeline-removable', 'holder.ts shows removable v1 and fresh v1');
      // fresh.ts is now part of this tab: its own edits reach holder.ts, which self-accepts.
      await edit('src/pipeline/fresh.ts', `'fresh v1'`, `'fresh v2'`);
      await tab.waitForText('#pipeline-removable', 'holder.ts shows removable v1 and fresh v2');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });
  });

  describe('several tabs', () => {
    it('every tab gets the update and applies it', async () => {
      const a = await hmr.open();
      const b = await hmr.open('other.html');
      await ready(a);
      await readyOther(b);
      await expectStillHot([a, b], 2);
      a.expectNoErrors();
      b.expectNoErrors();
    });

    it('each tab decides on its own: accepted in one page, a reload in the other', async () => {
      const a = await hmr.open();
      const b = await hmr.open('other.html');
      await ready(a);
      await readyOther(b);
      // index.html: themed.ts accepts theme.ts. other.html: its entry imports it directly.
      await b.waitForReload(() => edit('src/shared/theme.ts', `'theme v1'`, `'theme v2'`));
      await a.waitForText('#themed', 'themed.ts shows theme v2');
      await b.waitForText('#theme', 'theme v2');
      await a.expectNoReload();
      expect(b.reloadLines()).toEqual([
        '[devserver] full reload: src/shared/theme.ts is not accepted (src/shared/theme.ts -> src/other/main.ts, an entry)',
      ]);
      a.expectNoErrors();
      b.expectNoErrors();
    });

    it("one tab's reload never reloads another", async () => {
      const a = await hmr.open();
      const b = await hmr.open('other.html');
      await ready(a);
      await readyOther(b);
      // Only index.html loads data.ts, and nothing there accepts it.
      await a.waitForReload(() => edit('src/reload/data.ts', `'data v1'`, `'data v2'`));
      await a.waitForText('#reload-data', 'data v2');
      await ready(a);
      // b got the same manifest, ignored it, and is still hot.
      await eventually(() => expect(b.updatesOf('/src/reload/data.ts')).toHaveLength(1));
      await expectStillHot([a, b], 2);
      expect(b.reloadLines()).toEqual([]);
      a.expectNoErrors();
      b.expectNoErrors();
    });
    it('two tabs that invalidate the same module each apply it on their own: no extra update', async () => {
      const a = await hmr.open();
      const b = await hmr.open();
      await ready(a);
      await ready(b);
      const from = hmr.app().logs.length;
      await edit('src/invalidate/child.ts', `'child v1'`, `'child v2'`);
      for (const tab of [a, b]) {
        await tab.waitForText('#invalidate', 'child v2 (parent.ts took the invalidated update)');
        await tab.expectNoReload();
      }
      // Both told the server (it logs each), and the server sent nothing more for it.
      await eventually(() =>
        expect(hmr.app().logs.slice(from).filter((l) => l.startsWith('hmr invalidate /src/invalidate/child.ts'))).toHaveLength(2),
      );
      await expectStillHot([a, b], 2);
      for (const tab of [a, b]) expect(tab.frames.filter((f) => f.type === 'update')).toHaveLength(2);
      a.expectNoErrors();
      b.expectNoErrors();
    });
  });

  describe('connection', () => {
    it('a dropped connection reconnects and is replayed the update it missed, without a reload', async () => {
      const tab = await hmr.open('', { control: true });
      await ready(tab);
      await tab.socket!.offline();
      await tab.waitForText('#ws-status', 'disconnected');
      await tab.page.waitForSelector(NOTICE, { state: 'attached' });

      const from = hmr.app().logs.length;
      await edit(VALUE, `'value v1'`, `'value v2'`);
      await waitForLog(hmr.app(), /^hmr update \/src\/pipeline\/value\.ts /, from);
      expect(tab.updatesOf(VALUE_ID)).toEqual([]);
      await tab.waitForText('#pipeline-value', 'value v1');

      tab.socket!.online();
      await tab.waitForText('#ws-status', 'connected');
      await tab.waitForText('#pipeline-value', 'value v2');
      await tab.page.waitForSelector(NOTICE, { state: 'detached' });
      expect(tab.updatesOf(VALUE_ID)).toHaveLength(1);
      await tab.expectNoReload();
      tab.expectNoErrors([/ERR_CONNECTION_REFUSED|WebSocket/]);
    });

    it('send() while disconnected is buffered and delivered after the reconnect', async () => {
      const tab = await hmr.open('', { control: true });
      await ready(tab);
      await tab.waitForText('#events-pong-count', '(1 received)');
      await tab.socket!.offline();
      await tab.waitForText('#ws-status', 'disconnected');
      await tab.click('#events-send');
      await tab.waitForText('#events-ping', 'sent my:ping #2');
      tab.socket!.online();
      await tab.waitForText('#events-pong', 'pong #2 from devserver.config.ts');
      await tab.waitForText('#events-pong-count', '(2 received)');
      await tab.expectNoReload();
      tab.expectNoErrors([/ERR_CONNECTION_REFUSED|WebSocket/]);
    });
  });
});

describe('server restarts (playground/hmr)', () => {
  const hmr = useHmrPlayground(browser);

  async function expectHotAfterRestart(tab: HmrTab): Promise<void> {
    await ready(tab);
    // The plugin of the new server answers the new page's ping.
    await tab.waitForText('#events-pong', 'pong #1 from devserver.config.ts');
    await replaceIn(hmr.app(), VALUE, `'value v1'`, `'value v2'`);
    await tab.waitForText('#pipeline-value', 'value v2');
    await tab.expectNoReload();
    expect(tab.loads()).toBe(2);
    expect(tab.reloadLines()).toEqual(['[devserver] full reload: the devserver restarted with a new build']);
  }

  it('server.restart(): the page reloads exactly once', async () => {
    const tab = await hmr.open();
    await ready(tab);
    await tab.waitForReload(() => hmr.app().server.restart());
    await expectHotAfterRestart(tab);
    tab.expectNoErrors([/ERR_CONNECTION_REFUSED|WebSocket/]);
  });

  it('an edit of devserver.config.ts restarts the server: the page reloads exactly once', async () => {
    const tab = await hmr.open();
    await ready(tab);
    const countRestarts = () => hmr.app().logs.filter((l) => l === 'server restarted').length;
    const before = countRestarts();
    await tab.waitForReload(() =>
      hmr.app().edit('devserver.config.ts', (src) => `${src}// edited by the e2e test\n`),
    );
    await eventually(() => expect(countRestarts()).toBe(before + 1));
    await expectHotAfterRestart(tab);
    tab.expectNoErrors([/ERR_CONNECTION_REFUSED|WebSocket/]);

    // Put the config back here, and wait for that restart too, so none is under way at close.
    await tab.close();
    await hmr.app().edit('devserver.config.ts', (src) => src.replace('// edited by the e2e test\n', ''));
    await eventually(() => expect(countRestarts()).toBe(before + 2));
  });
});

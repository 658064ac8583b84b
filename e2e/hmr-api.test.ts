/**
 * The `import.meta.hot` API in a real browser (hmr-spec.md section 2, and 1.5-1.6 for how
 * a tab decides between a hot update and a full reload), on playground/hmr: each scenario
 * edits the file a person would edit by hand (playground/hmr/README.md) and asserts what
 * the page shows and whether it reloaded.
 *
 * All tests share one temp copy of the playground, reset between tests (hmrFixture.ts);
 * every test opens its own tab. The events part of the API is in hmr-events.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { eventually, indexReady, replaceIn, useHmrPlayground, waitForLog, type HmrTab } from './hmrFixture.js';

const browser = useBrowser();

const ready = indexReady;

/** An edit of a self-accepting module elsewhere applies without a reload: the tab is alive and hot. */
async function expectStillHot(tab: HmrTab, edit: (from: string, to: string) => Promise<void>, n: number): Promise<void> {
  await edit(`'plain v1'`, `'plain after ${n}'`);
  await tab.waitForText('#self-plain', `plain after ${n}`);
  await tab.expectNoReload();
}

describe('import.meta.hot in playground/hmr', () => {
  const hmr = useHmrPlayground(browser, { config: { debug: true } });
  const edit = (file: string, from: string, to: string) => replaceIn(hmr.app(), file, from, to);
  const editPlain = (from: string, to: string) => edit('src/self/plain.ts', from, to);

  describe('accept', () => {
    it('accept(): the module runs again and re-renders, no reload', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#self-plain', 'plain v1');
      await edit('src/self/plain.ts', `'plain v1'`, `'plain v2'`);
      await tab.waitForText('#self-plain', 'plain v2');
      await edit('src/self/plain.ts', `'plain v2'`, `'plain v3'`);
      await tab.waitForText('#self-plain', 'plain v3');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('accept(cb): the callback gets the new module namespace', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#self-callback', 'callback v1 (module body)');
      await edit('src/self/callback.ts', `'callback v1'`, `'callback v2'`);
      await tab.waitForText('#self-callback', 'callback v2 (accept callback, [object Module])');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('several accept calls all run, in the order they were made', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#self-multi', 'v1');
      await edit('src/self/multi.ts', 'version = 1', 'version = 2');
      await tab.waitForText('#self-multi', 'v2: first, second, third');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it("accept('./dep', cb): the importer takes the update without running again", async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#dep-accept', 'dep v1 (host.ts ran)');
      await edit('src/deps/dep.ts', `'dep v1'`, `'dep v2'`);
      await tab.waitForText('#dep-accept', 'dep v2 (accepted by host.ts)');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('accept(dep) resolves its specifier like an import: ./word names the module imported as ./word.ts', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#dep-spelling', 'word v1 (spelling.ts ran)');
      await edit('src/deps/word.ts', `'word v1'`, `'word v2'`);
      await tab.waitForText('#dep-spelling', "word v2 (accepted as './word')");
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('accept(cb) gets undefined when the new version throws; the page stays, and the next save applies', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await edit('src/self/callback.ts', `export const message = 'callback v1';`, `export const message = 'callback v2';\nthrow new Error('callback.ts broke');`);
      await tab.waitForText('#self-callback', 'the update failed: accept(cb) got undefined');
      await tab.page.waitForSelector('devserver-error-overlay');
      expect(await tab.page.locator('devserver-error-overlay .panel').innerText()).toContain('callback.ts broke');
      await tab.expectNoReload();

      await edit('src/self/callback.ts', `'callback v2';\nthrow new Error('callback.ts broke');`, `'callback v3';`);
      await tab.waitForText('#self-callback', 'callback v3 (accept callback, [object Module])');
      await tab.page.waitForSelector('devserver-error-overlay', { state: 'detached' });
      await tab.expectNoReload();
      tab.expectNoErrors([/callback\.ts broke/]);
    });

    it("accept(['./a', './b'], cb): the array has the updated slot filled, the other undefined", async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#dep-array', 'a: a v1, b: b v1 (pair.ts ran)');
      await edit('src/deps/a.ts', `'a v1'`, `'a v2'`);
      await tab.waitForText('#dep-array', 'a: a v2, b: undefined');
      await edit('src/deps/b.ts', `'b v1'`, `'b v2'`);
      await tab.waitForText('#dep-array', 'a: undefined, b: b v2');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('propagates through a module without accept to the boundary that accepts it', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#nested', 'mid.ts sees leaf v1 (boundary.ts ran)');
      await edit('src/nested/leaf.ts', `'leaf v1'`, `'leaf v2'`);
      // mid.ts ran again against the new leaf.ts; boundary.ts got the new mid.ts.
      await tab.waitForText('#nested', 'mid.ts sees leaf v2 (accepted by boundary.ts)');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('updates circular imports below a boundary', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#cycle', 'a1+b1 (view.ts ran)');
      await edit('src/cycle/b.ts', `'b1'`, `'b2'`);
      await tab.waitForText('#cycle', 'a1+b2 (accepted by view.ts)');
      await edit('src/cycle/a.ts', `'a1'`, `'a2'`);
      await tab.waitForText('#cycle', 'a2+b2 (accepted by view.ts)');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });
  });

  describe('full reloads', () => {
    it('no boundary: one full reload whose reason and import chain are in the console and the terminal', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#last-reload', 'none in this tab');
      const reason =
        'src/reload/data.ts is not accepted (src/reload/data.ts -> src/reload/store.ts -> src/main.ts, an entry)';
      await tab.waitForReload(() => edit('src/reload/data.ts', `'data v1'`, `'data v2'`));
      expect(tab.reloadLines()).toEqual([`[devserver] full reload: ${reason}`]);
      await waitForLog(hmr.app(), new RegExp(`^full reload: ${escape(reason)}$`));
      await tab.waitForText('#reload-data', 'data v2');
      // devserver:beforeFullReload fired with the reason (the page kept it in sessionStorage).
      await tab.waitForText('#last-reload', reason);
      expect(tab.loads()).toBe(2);
      tab.expectNoErrors();
    });

    it('an accept() that never ran (if (false)) makes no boundary: reload instead of a stale page', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#dead', 'dead v1');
      await tab.waitForReload(() => edit('src/dead/dead.ts', `'dead v1'`, `'dead v2'`));
      expect(tab.reloadLines()).toEqual([
        '[devserver] full reload: src/dead/dead.ts is not accepted (src/dead/dead.ts -> src/main.ts, an entry)',
      ]);
      await tab.waitForText('#dead', 'dead v2');
      tab.expectNoErrors();
    });

    it('decline(): an update reaching the module reloads even though its importer accepts it', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#decline', 'declined v1');
      await tab.waitForReload(() => edit('src/decline/declined.ts', `'declined v1'`, `'declined v2'`));
      expect(tab.reloadLines()).toEqual([
        '[devserver] full reload: src/decline/declined.ts declined the update (src/decline/declined.ts)',
      ]);
      await tab.waitForText('#decline', 'declined v2');
      tab.expectNoErrors();
    });
  });

  describe('dispose, data, prune', () => {
    it('a counter kept in hot.data survives three edits, and each dispose cleans up its version', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.click('#state-button');
      await tab.click('#state-button');
      await tab.waitForText('#state', 'state v1: runs 1, clicks 2');
      for (const n of [2, 3, 4]) {
        await edit('src/state/counter.ts', `'state v${n - 1}'`, `'state v${n}'`);
        await tab.waitForText('#state', `state v${n}: runs ${n}, clicks 2`);
      }
      // Only the live version counts clicks: every old version removed its listener in dispose.
      await tab.click('#state-button');
      await tab.waitForText('#state', 'state v4: runs 4, clicks 3');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('removing an import prunes the module: its dispose runs, then its prune', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#prune-log', 'extra.ts: loaded');
      await edit('src/prune/host.ts', "import './extra.ts';\n", '');
      await tab.waitForText('#prune-log', 'extra.ts: loaded, dispose, prune');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });
  });

  describe('invalidate', () => {
    it("invalidate('msg') from an accept callback passes the update to the importer's boundary", async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#invalidate', 'child v1 (parent.ts ran)');
      await edit('src/invalidate/child.ts', `'child v1'`, `'child v2'`);
      await tab.waitForText('#invalidate', 'child v2 (parent.ts took the invalidated update)');
      await waitForLog(hmr.app(), /^hmr invalidate \/src\/invalidate\/child\.ts: child\.ts cannot apply this itself$/);
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('an invalidation that reaches the entry ends in exactly one full reload', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForReload(() => edit('src/invalidate/toEntry.ts', `'toEntry v1'`, `'toEntry v2'`));
      await tab.waitForText('#invalidate-entry', 'toEntry v2');
      expect(tab.reloadLines()).toEqual([
        '[devserver] full reload: src/invalidate/toEntry.ts invalidated its update and nothing above it accepts it ' +
          '(src/invalidate/toEntry.ts -> src/main.ts, an entry)',
      ]);
      await ready(tab);
      await expectStillHot(tab, editPlain, 1);
      expect(tab.loads()).toBe(2);
      tab.expectNoErrors();
    });

    it('a cycle of invalidations ends in one full reload, never a loop', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#invalidate-loop', 'ping v1/pong v1');
      await tab.waitForReload(() => edit('src/invalidate/ping.ts', `'ping v1'`, `'ping v2'`));
      await tab.waitForText('#invalidate-loop', 'ping v2/pong v1');
      const lines = tab.reloadLines();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^\[devserver\] full reload: src\/invalidate\/p[io]ng\.ts invalidated the same update twice/);
      await ready(tab);
      await expectStillHot(tab, editPlain, 1);
      expect(tab.loads()).toBe(2);
      tab.expectNoErrors();
    });
  });

  describe('modules this tab has not executed', () => {
    it('a changed module this tab never loaded is ignored: no reload', async () => {
      // other.html (in another tab) loads only.ts, so the server builds it and sends its updates.
      const other = await hmr.open('other.html');
      await other.waitForText('#other-only', 'only v1');
      const tab = await hmr.open();
      await ready(tab);
      await other.waitForReload(() => edit('src/other/only.ts', `'only v1'`, `'only v2'`));
      await other.waitForText('#other-only', 'only v2');
      // The manifest reached this tab too ...
      await eventually(() => expect(tab.updatesOf('/src/other/only.ts')).toHaveLength(1));
      // ... and the next update applies in place: the first one was ignored, not queued.
      await expectStillHot(tab, editPlain, 1);
      expect(tab.reloadLines()).toEqual([]);
      tab.expectNoErrors();
    });

    it('a dynamically imported module self-accepts once it was loaded', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.click('#lazy-load');
      await tab.waitForText('#lazy', 'lazy v1 loaded');
      await edit('src/lazy/lazy.ts', `'lazy v1'`, `'lazy v2'`);
      await tab.waitForText('#lazy', 'lazy v2 loaded');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('a module imported only dynamically and not loaded yet is ignored; loading it later gets the new code', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await edit('src/lazy/lazy.ts', `'lazy v1'`, `'lazy v2'`);
      await eventually(() => expect(tab.updatesOf('/src/lazy/lazy.ts')).toHaveLength(1));
      await expectStillHot(tab, editPlain, 1);
      await tab.waitForText('#lazy', '');
      await tab.click('#lazy-load');
      await tab.waitForText('#lazy', 'lazy v2 loaded');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });
  });

  describe('acceptExports', () => {
    it('accepted when the importers use only the accepted exports: the importer does not run again', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#exports-partial', 'partial v1 (partial.ts ran)');
      await edit('src/exports/partial.ts', `'partial v1'`, `'partial v2'`);
      await tab.waitForText('#exports-partial', 'partial v2 (partial.ts ran)');
      // An edit of an export nobody imports is covered too.
      await edit('src/exports/partial.ts', `'partial other v1'`, `'partial other v2'`);
      await eventually(() => expect(tab.updatesOf('/src/exports/partial.ts')).toHaveLength(2));
      await expectStillHot(tab, editPlain, 1);
      await tab.waitForText('#exports-partial-user', 'partialUser.ts ran with partial v1');
      tab.expectNoErrors();
    });

    it('an importer that uses other exports gets the update (and accepts it itself)', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#exports-wide-user', 'wideUser.ts ran with wide other v1');
      await edit('src/exports/wide.ts', `'wide other v1'`, `'wide other v2'`);
      await tab.waitForText('#exports-wide-user', 'wideUser.ts ran with wide other v2');
      await tab.expectNoReload();
      tab.expectNoErrors();
    });

    it('an importer that uses other exports and accepts nothing: full reload', async () => {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForReload(() => edit('src/exports/direct.ts', `'direct v1'`, `'direct v2'`));
      expect(tab.reloadLines()).toEqual([
        '[devserver] full reload: src/exports/direct.ts is not accepted (src/exports/direct.ts -> src/main.ts, an entry)',
      ]);
      tab.expectNoErrors();
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

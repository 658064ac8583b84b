/**
 * `import.meta.hot` events in a real browser (hmr-spec.md section 2): custom events both
 * ways between a tab and a plugin (`server.hot.on/send`, `client.send`), `off`, `send`
 * before the socket is open, the built-in update events under both prefixes, and the
 * removal of a replaced module's listeners. On playground/hmr, whose devserver.config.ts
 * answers `my:ping` with `my:pong`; one temp copy shared by the tests (hmrFixture.ts).
 */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './harness/browser.js';
import { indexReady as ready, replaceIn, useHmrPlayground } from './hmrFixture.js';

const browser = useBrowser();

describe('import.meta.hot events in playground/hmr', () => {
  const hmr = useHmrPlayground(browser, { config: { debug: true } });
  const edit = (file: string, from: string, to: string) => replaceIn(hmr.app(), file, from, to);

  it('custom events both ways: my:ping reaches the plugin, its my:pong and server.hot.send reach the tab', async () => {
    const pings: unknown[] = [];
    const onPing = (data: unknown) => pings.push(data);
    hmr.app().server.hot.on('my:ping', onPing);
    try {
      const tab = await hmr.open();
      await ready(tab);
      await tab.waitForText('#events-pong', 'pong #1 from devserver.config.ts');
      await tab.click('#events-send');
      await tab.waitForText('#events-pong', 'pong #2 from devserver.config.ts');
      await tab.waitForText('#events-pong-count', '(2 received)');
      expect(pings).toEqual([{ n: 1 }, { n: 2 }]);

      hmr.app().server.hot.send('my:broadcast', { n: 7 });
      await tab.waitForText('#events-broadcast', '#7 received by broadcast v1');
      await tab.expectNoReload();
      tab.expectNoErrors();
    } finally {
      hmr.app().server.hot.off('my:ping', onPing);
    }
  });

  it('off() removes a listener; the others keep receiving', async () => {
    const tab = await hmr.open();
    await ready(tab);
    await tab.waitForText('#events-pong-count', '(1 received)');
    await tab.click('#events-off');
    await tab.waitForText('#events-pong', 'pong listener removed');
    await tab.click('#events-send');
    await tab.waitForText('#events-pong-count', '(2 received)');
    await tab.waitForText('#events-pong', 'pong listener removed');
    tab.expectNoErrors();
  });

  it('send() before the websocket is open is buffered and delivered once it opens', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const pings: unknown[] = [];
    const onPing = (data: unknown) => pings.push(data);
    hmr.app().server.hot.on('my:ping', onPing);
    try {
      const tab = await hmr.open('', { release: released });
      await ready(tab);
      // ping.ts has run and sent its ping while the socket is still connecting.
      await tab.waitForText('#events-ping', 'sent my:ping #1');
      expect(pings).toEqual([]);
      await tab.waitForText('#events-pong', '');
      release();
      await tab.waitForText('#events-pong', 'pong #1 from devserver.config.ts');
      expect(pings).toEqual([{ n: 1 }]);
      expect(tab.socket?.attempts()).toBe(1);
      tab.expectNoErrors();
    } finally {
      release();
      hmr.app().server.hot.off('my:ping', onPing);
    }
  });

  it('devserver:beforeUpdate/afterUpdate fire around an update, and so do their vite: aliases', async () => {
    const tab = await hmr.open();
    await ready(tab);
    await edit('src/self/plain.ts', `'plain v1'`, `'plain v2'`);
    await tab.waitForText('#self-plain', 'plain v2');
    await tab.waitForText(
      '#events-builtin',
      'devserver:beforeUpdate, vite:beforeUpdate, devserver:afterUpdate, vite:afterUpdate (/src/self/plain.ts)',
    );
    await tab.waitForText('#events-update-count', 'updates: 1');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });

  it('the listeners of a replaced module are removed', async () => {
    const tab = await hmr.open();
    await ready(tab);
    await tab.waitForText('#events-broadcast', 'broadcast v1 listening');
    await edit('src/events/broadcast.ts', `'broadcast v1'`, `'broadcast v2'`);
    await tab.waitForText('#events-broadcast', 'broadcast v2 listening');
    hmr.app().server.hot.send('my:broadcast', { n: 1 });
    // Both listeners would run in the same dispatch: an old one would show up here.
    await tab.waitForText('#events-broadcast', '#1 received by broadcast v2');
    await tab.expectNoReload();
    tab.expectNoErrors();
  });
});

/**
 * What happens around a hot update: dispose handlers and `data` across several updates,
 * prune of modules nothing imports any more (and their styles), listeners of replaced
 * modules, sequence ordering and coalescing of queued updates, and failures that keep the
 * page as it is until the next good update.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

/** Waits (one macrotask at a time, bounded) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error('condition not reached');
}

const counterModule = (n: number) => `export const n = ${n};
  import.meta.hot.data.runs = (import.meta.hot.data.runs ?? 0) + 1;
  log('run ' + import.meta.hot.data.runs + ' v' + n);
  import.meta.hot.dispose((data) => { data.disposedAt = ${n}; log('dispose v' + ${n}); });
  import.meta.hot.accept();`;

describe('dispose, data and prune', () => {
  it('keeps one data object per module across updates and runs dispose before each re-run', async () => {
    const h = createHarness({ '/main.js': `import './c.js';`, '/c.js': counterModule(1) });
    await h.runtime.load('/main.js');
    const data = h.runtime.registry.get('/c.js')!.hot!.data;
    await h.update({ '/c.js': counterModule(2) });
    await h.update({ '/c.js': counterModule(3) });
    expect(h.logs).toEqual(['run 1 v1', 'dispose v1', 'run 2 v2', 'dispose v2', 'run 3 v3']);
    expect(h.runtime.registry.get('/c.js')!.hot!.data).toBe(data);
    expect(data).toEqual({ runs: 3, disposedAt: 2 });
  });

  it('prunes modules no longer imported: dispose, then prune, style removed, data cleared', async () => {
    const h = createHarness({
      '/main.js': `import './app.js';`,
      '/app.js': `import './widget.js'; import.meta.hot.accept();`,
      '/widget.js': `import './widget.css.js'; import.meta.hot.data.keep = 1;
        import.meta.hot.dispose(() => log('widget dispose'));
        import.meta.hot.prune((data) => log('widget prune ' + data.keep));`,
      '/widget.css.js': `import { updateStyle, removeStyle } from '/@devserver/css';
        updateStyle('/widget.css.js', '.w{}'); import.meta.hot.accept();`,
    });
    await h.runtime.load('/main.js');
    const events: unknown[] = [];
    h.runtime.events.on('devserver:beforePrune', (p) => events.push(p));
    const removed: string[] = [];
    const removeStyle = h.runtime.styles.removeStyle;
    h.runtime.styles.removeStyle = (id) => {
      removed.push(id);
      removeStyle(id);
    };
    await h.update({ '/app.js': `import.meta.hot.accept(); log('app without widget');` });
    expect(h.logs).toEqual(['app without widget', 'widget dispose', 'widget prune 1']);
    expect(events).toEqual([{ type: 'prune', paths: ['/widget.js', '/widget.css.js'] }]);
    expect(h.runtime.registry.has('/widget.js')).toBe(false);
    expect(h.runtime.registry.has('/widget.css.js')).toBe(false);
    expect(h.runtime.registry.has('/@devserver/css')).toBe(true);
  });

  it('removes the listeners of a replaced module', async () => {
    const source = (n: number) => `import.meta.hot.on('my:event', (d) => log('v${n} got ' + d)); import.meta.hot.accept();`;
    const h = createHarness({ '/main.js': `import './a.js';`, '/a.js': source(1) });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': source(2) });
    await h.deliver({ type: 'custom', event: 'my:event', data: 'x' });
    expect(h.logs).toEqual(['v2 got x']);
  });

  it('uses the code that came with the manifest instead of fetching it', async () => {
    const h = createHarness({ '/main.js': `import './a.js';`, '/a.js': `import.meta.hot.accept(); log('a1');` });
    await h.runtime.load('/main.js');
    const changed = h.server.edit({ '/a.js': `import.meta.hot.accept(); log('a2');` });
    const stale = { ...h.server.payload('/a.js')!, hash: 'older' };
    await h.deliver({ type: 'update', seq: 1, hash: 'h1', changed, removed: [], modules: [h.server.payload('/a.js')!, stale] });
    expect(h.logs).toEqual(['a1', 'a2']);
    expect(h.server.requests).toHaveLength(1); // only the page load
  });

  it('fetches a module the new code imports for the first time', async () => {
    const h = createHarness({ '/main.js': `import './a.js';`, '/a.js': `import.meta.hot.accept();`, '/fresh.js': `log('fresh');` });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `import './fresh.js'; import.meta.hot.accept(); log('a2');` });
    expect(h.logs).toEqual(['fresh', 'a2']);
    expect(h.server.requests.slice(1)).toEqual(['/@devserver/modules?ids=%2Fa.js', '/@devserver/graph?entry=%2Ffresh.js']);
  });
});

describe('ordering', () => {
  it('applies updates in seq order, drops replays, and merges queued updates into one fetch', async () => {
    const h = createHarness({ '/main.js': `import './a.js'; import './b.js';`, '/a.js': counterModule(1), '/b.js': `import.meta.hot.accept(); log('b1');` });
    await h.runtime.load('/main.js');
    h.logs.length = 0;
    const a2 = h.server.edit({ '/a.js': counterModule(2) });
    h.runtime.handleMessage({ type: 'update', seq: 1, hash: '1', changed: a2, removed: [] });
    await until(() => h.server.requests.length === 2); // update 1 is fetching its code
    const b2 = h.server.edit({ '/b.js': `import.meta.hot.accept(); log('b2');` });
    const a3 = h.server.edit({ '/a.js': counterModule(3) });
    // delivered out of order (and twice) while update 1 is being applied
    h.runtime.handleMessage({ type: 'update', seq: 3, hash: '3', changed: a3, removed: [] });
    h.runtime.handleMessage({ type: 'update', seq: 2, hash: '2', changed: b2, removed: [] });
    h.runtime.handleMessage({ type: 'update', seq: 2, hash: '2', changed: b2, removed: [] });
    await h.runtime.idle();
    h.runtime.handleMessage({ type: 'update', seq: 1, hash: '1', changed: a2, removed: [] });
    await h.runtime.idle();
    expect(h.runtime.hello()).toMatchObject({ type: 'hello', lastSeq: 3 });
    // updates 2 and 3 were merged: one fetch for both modules
    expect(h.server.requests.slice(1)).toEqual(['/@devserver/modules?ids=%2Fa.js', '/@devserver/modules?ids=%2Fb.js,%2Fa.js']);
    expect(h.logs).toEqual(['dispose v1', 'run 2 v2', 'dispose v2', 'b2', 'run 3 v3']);
  });
});

describe('failures', () => {
  it('an update whose module throws shows the overlay, keeps the page, and the next good update applies', async () => {
    const h = createHarness({ '/main.js': `import './a.js';`, '/a.js': counterModule(1) });
    await h.runtime.load('/main.js');
    const before = h.runtime.registry.get('/a.js')!;
    await h.update({ '/a.js': `log('v2 runs'); throw new Error('v2 is broken'); import.meta.hot.accept();` });
    expect(h.overlay).toHaveLength(1);
    expect(h.overlay[0]).toMatchObject({ message: 'Error: v2 is broken', id: '/a.js' });
    expect(h.runtime.registry.get('/a.js')).toBe(before);
    expect(h.reloads).toBe(0);
    await h.update({ '/a.js': counterModule(3) });
    expect(h.overlay).toEqual([]);
    // dispose of v1 ran once, before v2; v3 gets the same data
    expect(h.logs).toEqual(['run 1 v1', 'dispose v1', 'v2 runs', 'run 2 v3']);
    expect(h.runtime.registry.get('/a.js')!.version).toBe(2);
  });

  it('accept callbacks get undefined when the new version failed', async () => {
    const h = createHarness({
      '/main.js': `import './a.js'; import.meta.hot.accept('./a.js', (m) => log('main got ' + m));`,
      '/a.js': `export const v = 1;`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `throw new Error('nope');` });
    expect(h.logs).toEqual(['main got undefined']);
    expect(h.overlay[0].id).toBe('/a.js');
  });

  it('a failed fetch changes nothing; its changes are retried with the next update', async () => {
    const h = createHarness({ '/main.js': `import './a.js'; import './b.js';`, '/a.js': counterModule(1), '/b.js': `import.meta.hot.accept(); log('b1');` });
    await h.runtime.load('/main.js');
    h.server.failFetches = true;
    await h.update({ '/a.js': counterModule(2) });
    expect(h.overlay[0].message).toBe('TypeError: Failed to fetch');
    h.server.failFetches = false;
    await h.update({ '/b.js': `import.meta.hot.accept(); log('b2');` });
    expect(h.overlay).toEqual([]);
    expect(h.logs).toEqual(['run 1 v1', 'b1', 'dispose v1', 'run 2 v2', 'b2']);
  });

  it('a link error in an update disposes nothing and runs nothing', async () => {
    const h = createHarness({ '/main.js': `import './a.js';`, '/a.js': `import { x } from './dep.js'; import.meta.hot.accept(); import.meta.hot.dispose(() => log('dispose'));`, '/dep.js': `export const x = 1;` });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `import { y } from './dep.js'; log('a2'); import.meta.hot.accept();` });
    expect(h.logs).toEqual([]);
    expect(h.overlay[0]).toMatchObject({ message: "SyntaxError: The requested module './dep.js' does not provide an export named 'y'", id: '/a.js' });
  });

  it('an accept callback that throws shows the overlay; the new code stays', async () => {
    const h = createHarness({ '/main.js': `import './a.js';`, '/a.js': `export const v = 1; import.meta.hot.accept(() => { throw new Error('cb failed'); });` });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `export const v = 2; import.meta.hot.accept();` });
    expect(h.overlay[0].message).toBe('Error: cb failed');
    expect(h.runtime.registry.get('/a.js')!.version).toBe(2);
    await h.update({ '/a.js': `export const v = 3; import.meta.hot.accept();` });
    expect(h.overlay).toEqual([]);
  });

  it('a page whose load failed reloads once an update touches its graph', async () => {
    const h = createHarness({ '/main.js': `import './a.js'; log('main');`, '/a.js': `throw new Error('a at load');` });
    await expect(h.runtime.load('/main.js')).rejects.toThrow('a at load');
    expect(h.overlay[0]).toMatchObject({ message: 'Error: a at load', id: '/a.js' });
    await h.update({ '/other.js': `log('unrelated');` });
    expect(h.reloads).toBe(0);
    await h.update({ '/a.js': `export {};` });
    expect(h.reloads).toBe(1);
  });

  it('a graph with transform errors shows them and runs nothing', async () => {
    const h = createHarness({ '/main.js': `log('main');` });
    await expect(h.runtime.load('/missing.js')).rejects.toThrow('Cannot find module /missing.js');
    expect(h.overlay).toEqual([{ message: 'Cannot find module /missing.js', code: 'ERR_NOT_FOUND', id: '/missing.js' }]);
    await h.update({ '/missing.js': `log('now here');` });
    expect(h.reloads).toBe(1);
  });
});

describe('server messages', () => {
  it('error / error-cleared drive the overlay', async () => {
    const h = createHarness({ '/main.js': `log('main');` });
    await h.runtime.load('/main.js');
    const error = { message: 'Unexpected token', code: 'ERR_SYNTAX', id: '/main.js', loc: { line: 1, column: 4 }, frame: '> 1 | x y' };
    await h.deliver({ type: 'error', seq: 1, error });
    expect(h.overlay).toEqual([error]);
    await h.deliver({ type: 'error-cleared', seq: 2, id: '/main.js' });
    expect(h.overlay).toEqual([]);
  });

  it('full-reload with a page reloads only tabs showing it', async () => {
    const h = createHarness({ '/main.js': `` }, { page: '/index.html', pathname: '/some/route' });
    await h.runtime.load('/main.js');
    await h.deliver({ type: 'full-reload', seq: 1, reason: 'about.html changed', page: '/about.html' });
    expect(h.reloads).toBe(0);
    await h.update({ '/about.html': '' }, 'html');
    expect(h.reloads).toBe(0);
    await h.update({ '/index.html': '' }, 'html');
    expect(h.reloads).toBe(1);
    expect(h.sent.at(-1)).toEqual({ type: 'log', level: 'info', message: 'full reload: index.html changed' });
  });

  it('an asset the page references reloads it; one it does not is ignored', async () => {
    const el = (attrs: Record<string, string>) => ({ getAttribute: (k: string) => attrs[k] ?? null });
    const doc = { querySelectorAll: () => [el({ src: '/img/logo.png' }), el({ href: 'http://localhost:5173/favicon.svg' })] };
    const h = createHarness({ '/main.js': `` }, { document: doc as unknown as Document });
    await h.runtime.load('/main.js');
    await h.update({ '/img/other.png': 'x' }, 'asset');
    expect(h.reloads).toBe(0);
    await h.update({ '/favicon.svg': 'x' }, 'asset');
    expect(h.reloads).toBe(1);
    expect(h.sent.at(-1)).toEqual({ type: 'log', level: 'info', message: 'full reload: favicon.svg changed and the page uses it' });
  });

  it('connected: a new build id reloads, the same one adopts the server seq when unknown', async () => {
    const h = createHarness({ '/main.js': `` });
    await h.runtime.load('/main.js');
    h.runtime.handleMessage({ type: 'connected', buildId: 'b1', seq: 7 });
    expect(h.reloads).toBe(0);
    h.runtime.handleMessage({ type: 'connected', buildId: 'b2', seq: 0 });
    expect(h.reloads).toBe(1);
  });

  it('custom events reach listeners; hot.send goes to the server', async () => {
    const h = createHarness({ '/main.js': `import.meta.hot.on('app:ping', (d) => { log(d); import.meta.hot.send('app:pong', { n: d.n + 1 }); });` });
    await h.runtime.load('/main.js');
    await h.deliver({ type: 'custom', event: 'app:ping', data: { n: 1 } });
    expect(h.logs).toEqual([{ n: 1 }]);
    expect(h.sent).toContainEqual({ type: 'custom', event: 'app:pong', data: { n: 2 } });
  });
});

/**
 * The update walk and its outcome: which modules re-run, which accept callbacks get what,
 * and when the page reloads instead (with the chain that forced it).
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';

const fullReloads = (h: ReturnType<typeof createHarness>) =>
  h.sent.filter((m) => m.type === 'log').map((m) => (m as { message: string }).message);

describe('boundaries', () => {
  it('self-accept: the module re-runs, its callback gets the new namespace, importers do not re-run', async () => {
    const h = createHarness({
      '/main.js': `import { v } from './a.js'; log('main ' + v);`,
      '/a.js': `export const v = 1; log('a ' + v);
        import.meta.hot.accept((mod) => log('accepted ' + mod.v));`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `export const v = 2; log('a ' + v); import.meta.hot.accept((mod) => log('accepted2 ' + mod.v));` });
    expect(h.logs).toEqual(['a 1', 'main 1', 'a 2', 'accepted 2']);
    expect(h.reloads).toBe(0);
    expect(h.runtime.registry.get('/a.js')!.version).toBe(2);
    // only the changed module's code was fetched
    expect(h.server.requests.at(-1)).toBe('/@devserver/modules?ids=%2Fa.js');
  });

  it('dep accept: the importer keeps running and gets the dependency\'s new namespace', async () => {
    const h = createHarness({
      '/main.js': `import { v } from './dep.js'; log('main ' + v);
        import.meta.hot.accept('./dep.js', (mod) => log('main got ' + mod.v));`,
      '/dep.js': `export const v = 1;`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/dep.js': `export const v = 2; log('dep 2');` });
    expect(h.logs).toEqual(['main 1', 'dep 2', 'main got 2']);
    expect(h.runtime.registry.get('/main.js')!.version).toBe(1);
  });

  it('array accept: the callback gets an array with the updated slots filled', async () => {
    const h = createHarness({
      '/main.js': `import './a.js'; import './b.js';
        import.meta.hot.accept(['./a.js', './b.js'], ([a, b]) => log([a?.name ?? null, b?.name ?? null]));`,
      '/a.js': `export const name = 'a1';`,
      '/b.js': `export const name = 'b1';`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/b.js': `export const name = 'b2';` });
    await h.update({ '/a.js': `export const name = 'a2';`, '/b.js': `export const name = 'b3';` });
    expect(h.logs).toEqual([
      [null, 'b2'],
      ['a2', 'b3'],
    ]);
  });

  it('acceptExports: a boundary while importers use only accepted names, else the update goes up', async () => {
    const files = {
      '/main.js': `import { a } from './lib.js'; import './other.js'; log('main');
        import.meta.hot.accept('./other.js', () => log('main accepted other'));`,
      '/other.js': `import { a, b } from './lib.js'; log('other ' + a + b);`,
      '/lib.js': `export const a = 1; export const b = 1; import.meta.hot.acceptExports(['a'], (m) => log('lib cb ' + m.a));`,
    };
    const h = createHarness(files);
    await h.runtime.load('/main.js');
    h.logs.length = 0;
    await h.update({ '/lib.js': `export const a = 2; export const b = 2; import.meta.hot.acceptExports(['a'], (m) => log('lib cb ' + m.a));` });
    // main uses only `a`: covered. other uses `b` too: other re-runs, main accepts other.
    expect(h.logs).toEqual(['other 22', 'lib cb 2', 'main accepted other']);
    expect(h.reloads).toBe(0);
    expect(h.runtime.registry.get('/main.js')!.version).toBe(1);
  });

  it('nested propagation re-runs the path from the change to the boundary, in ESM order', async () => {
    const h = createHarness({
      '/main.js': `import './app.js';`,
      '/app.js': `import { label } from './view.js'; log('app ' + label); import.meta.hot.accept();`,
      '/view.js': `import { name } from './data.js'; export const label = 'view:' + name; log('view');`,
      '/data.js': `export const name = 'one'; log('data');`,
    });
    await h.runtime.load('/main.js');
    h.logs.length = 0;
    await h.update({ '/data.js': `export const name = 'two'; log('data2');` });
    expect(h.logs).toEqual(['data2', 'view', 'app view:two']);
    // view.js was re-run from the factory already held: only data.js was fetched
    expect(h.server.requests.filter((r) => r.startsWith('/@devserver/modules'))).toEqual(['/@devserver/modules?ids=%2Fdata.js']);
  });

  it('no boundary: full reload with the chain, logged and sent to the server, beforeFullReload emitted', async () => {
    const h = createHarness({
      '/src/main.js': `import './store.js';`,
      '/src/store.js': `import './data.js';`,
      '/src/data.js': `export const x = 1;`,
    });
    await h.runtime.load('/src/main.js');
    const events: unknown[] = [];
    h.runtime.events.on('vite:beforeFullReload', (p) => events.push(p));
    await h.update({ '/src/data.js': `export const x = 2;` });
    const reason = 'src/data.ts is not accepted'.replace('.ts', '.js');
    expect(h.reloads).toBe(1);
    expect(fullReloads(h)).toEqual([`full reload: ${reason} (src/data.js -> src/store.js -> src/main.js, an entry)`]);
    expect(h.consoleLines).toContain(`[devserver] full reload: ${reason} (src/data.js -> src/store.js -> src/main.js, an entry)`);
    expect(events).toHaveLength(1);
  });

  it('an accept call that never ran makes no boundary', async () => {
    const h = createHarness({
      '/main.js': `import './a.js';`,
      '/a.js': `export const x = 1; if (false) import.meta.hot.accept();`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `export const x = 2; if (false) import.meta.hot.accept();` });
    expect(h.reloads).toBe(1);
    expect(fullReloads(h)[0]).toBe('full reload: a.js is not accepted (a.js -> main.js, an entry)');
  });

  it('decline forces a reload even below a boundary', async () => {
    const h = createHarness({
      '/main.js': `import './a.js'; import.meta.hot.accept('./a.js', () => log('nope'));`,
      '/a.js': `import.meta.hot.decline();`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `import.meta.hot.decline(); log('x');` });
    expect(h.reloads).toBe(1);
    expect(fullReloads(h)[0]).toBe('full reload: a.js declined the update (a.js)');
    expect(h.logs).toEqual([]);
  });

  it('ignores changes to modules this tab never loaded and versions it already runs', async () => {
    const h = createHarness({ '/main.js': `log('main');`, '/lazy.js': `export const x = 1;` });
    await h.runtime.load('/main.js');
    await h.update({ '/lazy.js': `export const x = 2;` });
    await h.deliver({ type: 'update', seq: ++h.seq, hash: 'h', changed: [{ id: '/main.js', hash: h.runtime.registry.get('/main.js')!.hash, kind: 'js' }], removed: [] });
    expect(h.reloads).toBe(0);
    expect(h.logs).toEqual(['main']);
    expect(h.server.requests).toEqual(['/@devserver/graph?entry=%2Fmain.js']);
  });

  it('walks through cycles without looping', async () => {
    const h = createHarness({
      '/main.js': `import './a.js'; import.meta.hot.accept('./a.js', () => log('main accepted a'));`,
      '/a.js': `import './b.js'; log('a');`,
      '/b.js': `import './a.js'; log('b');`,
    });
    await h.runtime.load('/main.js');
    h.logs.length = 0;
    await h.update({ '/b.js': `import './a.js'; log('b2');` });
    expect(h.reloads).toBe(0);
    expect(h.logs).toEqual(['b2', 'a', 'main accepted a']);
  });
});

describe('invalidate', () => {
  it('passes the update on to the importers, and tells the server', async () => {
    const h = createHarness({
      '/main.js': `import { v } from './a.js'; log('main ' + v); import.meta.hot.accept();`,
      '/a.js': `export const v = 1; import.meta.hot.accept((m) => { if (m.v > 1) import.meta.hot.invalidate('shape changed'); });`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `export const v = 2; import.meta.hot.accept();` });
    expect(h.logs).toEqual(['main 1', 'main 2']);
    expect(h.reloads).toBe(0);
    expect(h.sent).toContainEqual({ type: 'invalidate', id: '/a.js', message: 'shape changed' });
    // a.js is not run a third time: main imports the instance that invalidated
    expect(h.runtime.registry.get('/a.js')!.version).toBe(2);
  });

  it('invalidating up to an entry reloads', async () => {
    const h = createHarness({
      '/main.js': `import './a.js';`,
      '/a.js': `import.meta.hot.accept(() => import.meta.hot.invalidate());`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/a.js': `import.meta.hot.accept(() => import.meta.hot.invalidate()); log('a2');` });
    expect(h.reloads).toBe(1);
    expect(fullReloads(h)[0]).toBe(
      'full reload: a.js invalidated its update and nothing above it accepts it (a.js -> main.js, an entry)',
    );
  });

  it('a cycle of invalidations ends in one reload', async () => {
    const h = createHarness({
      '/main.js': `import './a.js'; import.meta.hot.accept('./a.js', () => log('main accepts a'));`,
      '/a.js': `import './b.js'; import.meta.hot.accept('./b.js', () => { log('a invalidates'); import.meta.hot.invalidate(); });`,
      '/b.js': `import './a.js'; export const x = 1;
        import.meta.hot.accept('./a.js', () => { log('b invalidates'); import.meta.hot.invalidate(); });`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/b.js': `import './a.js'; export const x = 2;
        import.meta.hot.accept('./a.js', () => { log('b invalidates'); import.meta.hot.invalidate(); });` });
    expect(h.logs).toEqual(['a invalidates', 'main accepts a', 'b invalidates', 'a invalidates']);
    expect(h.reloads).toBe(1);
    expect(h.sent.filter((m) => m.type === 'log')).toEqual([
      { type: 'log', level: 'info', message: 'full reload: a.js invalidated the same update twice' },
    ]);
  });
});

/**
 * Module semantics the e2e conformance suite (e2e/conformance.test.ts) found different
 * from native Chromium, pinned here without a browser: a namespace is non-extensible
 * while its module still runs, `import.meta.resolve` keeps a specifier's `#fragment`,
 * and `import()` of a module the server cannot provide rejects with Chromium's TypeError.
 */
import { describe, expect, it } from 'vitest';
import { createHarness, ORIGIN } from './harness.js';

describe('ESM conformance details', () => {
  it('a namespace is not extensible while its module is still evaluating', async () => {
    const h = createHarness({
      '/self.js': `import * as me from './self.js';
        log(Object.isExtensible(me), Reflect.defineProperty(me, 'fresh', { value: 1 }), Reflect.ownKeys(me).map(String));
        export let late = 1;`,
    });
    await h.runtime.load('/self.js');
    expect(h.logs).toEqual([[false, false, ['late', 'Symbol(Symbol.toStringTag)']]]);
    const ns = h.runtime.registry.get('/self.js')!.ns;
    expect(Object.getOwnPropertyDescriptor(ns, 'late')?.configurable).toBe(false);
  });

  it('import.meta.resolve keeps the query and fragment of a relative or absolute specifier', async () => {
    const h = createHarness({
      '/src/main.js': `log(import.meta.resolve('./x.js?v=1#h'), import.meta.resolve('${ORIGIN}/y.js#top'), import.meta.resolve('./z.js'));`,
    });
    await h.runtime.load('/src/main.js');
    expect(h.logs).toEqual([[`${ORIGIN}/src/x.js?v=1#h`, `${ORIGIN}/y.js#top`, `${ORIGIN}/src/z.js`]]);
  });

  it('import() of a module the server cannot find rejects with a TypeError, keeping the cause', async () => {
    const h = createHarness({
      '/main.js': `try { await import('./missing.js'); } catch (e) { log(e.constructor.name, e.message, e.cause?.name); }`,
    });
    await h.runtime.load('/main.js');
    expect(h.logs).toEqual([['TypeError', `Failed to fetch dynamically imported module: ${ORIGIN}/missing.js`, 'GraphError']]);
  });
});

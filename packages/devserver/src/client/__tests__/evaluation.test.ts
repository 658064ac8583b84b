/**
 * Module semantics of the runtime, each case compared with native ESM run by V8 (Node):
 * evaluation order, cycles, TLA sibling concurrency, link errors before any body runs,
 * rethrow of the same error, namespace shape, live bindings and `export *` ambiguity.
 */
import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.js';
import { describeNamespace, runNative } from './native.js';
import type { Files } from './fakeServer.js';

async function both(files: Files, entry = '/main.js') {
  const native = runNative(files, entry);
  const h = createHarness(files);
  let error: unknown;
  try {
    await h.runtime.load(entry);
  } catch (e) {
    error = e;
  }
  const ns = h.runtime.registry.get(entry)?.ns;
  return { native, ours: { logs: h.logs, error, ns }, shape: ns && !error ? describeNamespace(ns) : undefined, h };
}

describe('evaluation order', () => {
  it('runs depth-first post-order, each module once', async () => {
    const files = {
      '/main.js': `import './a.js'; import './b.js'; log('main');`,
      '/a.js': `import './c.js'; import './d.js'; log('a');`,
      '/b.js': `import './d.js'; import './c.js'; log('b');`,
      '/c.js': `log('c');`,
      '/d.js': `import './c.js'; log('d');`,
    };
    const { native, ours } = await both(files);
    expect(native.logs).toEqual(['c', 'd', 'a', 'b', 'main']);
    expect(ours.logs).toEqual(native.logs);
  });

  it('tolerates cycles, with hoisted functions callable and let bindings in TDZ', async () => {
    const files = {
      '/main.js': `import { a } from './a.js'; log('main ' + a);`,
      '/a.js': `import { b, readA } from './b.js'; export function hello() { return 'hello from a'; } export let a = 'A'; log('a sees ' + b); log(readA());`,
      '/b.js': `import { hello, a } from './a.js';
        log('b calls ' + hello());
        let seen; try { seen = a; } catch (e) { seen = e.constructor.name; }
        log('b reads a: ' + seen);
        export const b = 'B';
        export function readA() { return 'later a=' + a; }`,
    };
    const { native, ours } = await both(files);
    expect(native.logs).toEqual(['b calls hello from a', 'b reads a: ReferenceError', 'a sees B', 'later a=A', 'main A']);
    expect(ours.logs).toEqual(native.logs);
  });

  it('starts TLA siblings concurrently; sync siblings keep their order', async () => {
    const files = {
      '/main.js': `import './slow.js'; import './sync.js'; import './fast.js'; log('main');`,
      '/slow.js': `import './leaf.js'; log('slow start'); await new Promise((r) => setTimeout(r, 20)); log('slow end');`,
      '/sync.js': `log('sync');`,
      '/fast.js': `log('fast start'); await null; log('fast end');`,
      '/leaf.js': `log('leaf');`,
    };
    const { native, ours } = await both(files);
    expect(native.logs).toEqual(['leaf', 'slow start', 'sync', 'fast start', 'fast end', 'slow end', 'main']);
    expect(ours.logs).toEqual(native.logs);
  });

  it('a module with an async dependency waits for it, its siblings do not', async () => {
    const files = {
      '/main.js': `import './p.js'; import './q.js'; log('main');`,
      '/p.js': `import './t.js'; log('p');`,
      '/t.js': `log('t start'); await new Promise((r) => setTimeout(r, 10)); log('t end');`,
      '/q.js': `log('q');`,
    };
    const { native, ours } = await both(files);
    expect(native.logs).toEqual(['t start', 'q', 't end', 'p', 'main']);
    expect(ours.logs).toEqual(native.logs);
  });
});

describe('errors', () => {
  it('a missing export fails at link time, before any body runs', async () => {
    const files = {
      '/main.js': `import './side.js'; import { nope } from './dep.js'; log('main');`,
      '/side.js': `log('side');`,
      '/dep.js': `log('dep'); export const yes = 1;`,
    };
    const { native, ours, h } = await both(files);
    expect(native.logs).toEqual([]);
    expect(ours.logs).toEqual([]);
    expect(ours.error).toBeInstanceOf(SyntaxError);
    expect((ours.error as Error).message).toBe("The requested module './dep.js' does not provide an export named 'nope'");
    expect((native.error as Error).message).toContain("does not provide an export named 'nope'");
    expect(h.overlay[0].message).toContain("does not provide an export named 'nope'");
    expect(h.overlay[0].id).toBe('/main.js');
  });

  it('rethrows the same error on every later import, without running the module again', async () => {
    const files = {
      '/main.js': `log('main');`,
      '/bad.js': `log('bad runs'); throw new Error('boom');`,
      '/user.js': `import './bad.js'; log('user');`,
    };
    const h = createHarness(files);
    await h.runtime.load('/main.js');
    const first = await h.runtime.importModule('/bad.js').catch((e: unknown) => e);
    const second = await h.runtime.importModule('/bad.js').catch((e: unknown) => e);
    const third = await h.runtime.importModule('/user.js').catch((e: unknown) => e);
    expect((first as Error).message).toBe('boom');
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(h.logs).toEqual(['main', 'bad runs']);
  });

  it('an error thrown in a cycle reaches every module of it', async () => {
    const files = {
      '/main.js': `import './a.js'; log('main');`,
      '/a.js': `import './b.js'; log('a');`,
      '/b.js': `import './a.js'; throw new Error('b failed');`,
    };
    const { native, ours, h } = await both(files);
    expect((native.error as Error).message).toBe('b failed');
    expect((ours.error as Error).message).toBe('b failed');
    expect(ours.error).toBe(h.runtime.registry.get('/a.js')!.error);
    expect(ours.logs).toEqual(native.logs);
    expect(h.overlay[0].id).toBe('/b.js');
  });
});

describe('namespaces', () => {
  it('have sorted keys, a null prototype, the Module tag and are not extensible', async () => {
    const files = {
      '/main.js': `export let zed = 1; export const alpha = 2; export default 3; export function Mid() {} export { alpha as beta };`,
    };
    const { native, ours, shape } = await both(files);
    expect(native.ns).toMatchObject({ tag: '[object Module]', nullProto: true, extensible: false, sealed: true });
    expect(native.ns!.keys).toEqual(['Mid', 'alpha', 'beta', 'default', 'zed']);
    expect(shape).toEqual(native.ns);
    expect(() => {
      'use strict';
      (ours.ns as Record<string, unknown>).alpha = 5;
    }).toThrow(TypeError);
  });

  it('are live, also through export * and in the importer of a cycle', async () => {
    const files = {
      '/main.js': `import * as ns from './counter.js'; import { count, inc } from './re.js';
        log(count); inc(); log(count); log(ns.count); log(Object.keys(ns).join());`,
      '/re.js': `export * from './counter.js';`,
      '/counter.js': `export let count = 0; export function inc() { count++; }`,
    };
    const { native, ours } = await both(files);
    expect(native.logs).toEqual([0, 1, 1, 'count,inc']);
    expect(ours.logs).toEqual(native.logs);
  });

  it('export * leaves out default and names two stars export, unless declared locally', async () => {
    const files = {
      '/main.js': `import * as ns from './hub.js'; log(Object.keys(ns).join()); log(ns.local);`,
      '/hub.js': `export * from './x.js'; export * from './y.js'; export const local = 'mine';`,
      '/x.js': `export const shared = 'x'; export const onlyX = 1; export const local = 'x'; export default 'dx';`,
      '/y.js': `export const shared = 'y'; export const onlyY = 2; export * from './z.js';`,
      '/z.js': `export const fromZ = 3;`,
    };
    const { native, ours } = await both(files);
    expect(native.logs).toEqual(['fromZ,local,onlyX,onlyY', 'mine']);
    expect(ours.logs).toEqual(native.logs);
  });

  it('importing an ambiguous star name is a link error, a name reached twice through one binding is not', async () => {
    const ambiguous = {
      '/main.js': `import { shared } from './hub.js'; log(shared);`,
      '/hub.js': `export * from './x.js'; export * from './y.js';`,
      '/x.js': `export const shared = 'x';`,
      '/y.js': `export const shared = 'y';`,
    };
    const a = await both(ambiguous);
    expect(a.native.error?.name).toBe('SyntaxError');
    expect(a.ours.error).toBeInstanceOf(SyntaxError);
    expect((a.ours.error as Error).message).toContain("conflicting star exports for name 'shared'");
    const same = {
      '/main.js': `import { base } from './hub.js'; log(base);`,
      '/hub.js': `export * from './x.js'; export * from './y.js';`,
      '/x.js': `export * from './base.js';`,
      '/y.js': `export * from './base.js';`,
      '/base.js': `export const base = 'b';`,
    };
    const s = await both(same);
    expect(s.native.logs).toEqual(['b']);
    expect(s.ours.logs).toEqual(['b']);
  });
});

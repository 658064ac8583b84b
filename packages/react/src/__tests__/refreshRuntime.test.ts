/**
 * The browser module (src/client/refreshRuntime.ts) in Node with a fake window and fake
 * `import.meta.hot`: the preamble's install, and setupModule's accept/invalidate decisions.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GLOBAL_NAME, install, type RefreshApi } from '../client/refreshRuntime.js';

interface FakeHot {
  callbacks: Array<(mod: unknown) => void>;
  invalidated: string[];
  accept(cb: (mod: unknown) => void): void;
  invalidate(message?: string): void;
}

function fakeHot(): FakeHot {
  const hot: FakeHot = {
    callbacks: [],
    invalidated: [],
    accept: (cb) => hot.callbacks.push(cb),
    invalidate: (message) => hot.invalidated.push(message ?? ''),
  };
  return hot;
}

function ns(values: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, values);
}

const win: Record<string, unknown> = {};
install(win);
const api = win[GLOBAL_NAME] as RefreshApi;
const setup = (hot: FakeHot, key: string, exports: Record<string, unknown>) =>
  api.setupModule(hot as unknown as Parameters<RefreshApi['setupModule']>[0], key, exports);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('install (the preamble)', () => {
  it("creates React's DevTools hook, the no-op globals and the API, once", () => {
    const hook = win.__REACT_DEVTOOLS_GLOBAL_HOOK__ as { renderers: Map<number, unknown>; inject: unknown };
    expect(hook.renderers).toBeInstanceOf(Map);
    expect(typeof win.$RefreshReg$).toBe('function');
    expect((win.$RefreshSig$ as () => (t: unknown) => unknown)()('T')).toBe('T');
    const inject = hook.inject;
    install(win);
    expect(hook.inject).toBe(inject); // not wrapped twice
  });
});

describe('setupModule', () => {
  function Card() {
    return null;
  }
  function Card2() {
    return null;
  }

  it('accepts a component module and refreshes once for several accepted updates', () => {
    const a = fakeHot();
    const b = fakeHot();
    setup(a, 'http://x/src/A.tsx', ns({ Card }));
    setup(b, 'http://x/src/B.tsx', ns({ default: Card }));
    expect(a.callbacks).toHaveLength(1);
    const before = api.refreshCount;
    a.callbacks[0](ns({ Card: Card2 }));
    b.callbacks[0](ns({ default: Card2 }));
    expect(api.refreshCount).toBe(before);
    vi.runAllTimers();
    expect(api.refreshCount).toBe(before + 1);
    expect(a.invalidated).toEqual([]);
  });

  it('does not accept a module without component exports', () => {
    const hot = fakeHot();
    setup(hot, 'http://x/src/useThing.tsx', ns({ useThing: () => 1 }));
    expect(hot.callbacks).toEqual([]);
  });

  it('invalidates, naming the export, when a constant of a component module changed', () => {
    const hot = fakeHot();
    setup(hot, 'http://x/src/Mixed.tsx', ns({ Card, LIMIT: 1 }));
    const before = api.refreshCount;
    hot.callbacks[0](ns({ Card: Card2, LIMIT: 2 }));
    expect(hot.invalidated).toEqual([expect.stringMatching(/"LIMIT" export is not a component/)]);
    vi.runAllTimers();
    expect(api.refreshCount).toBe(before);
  });

  it('does nothing when the new version failed to load (the overlay shows why)', () => {
    const hot = fakeHot();
    setup(hot, 'http://x/src/C.tsx', ns({ Card }));
    hot.callbacks[0](undefined);
    expect(hot.invalidated).toEqual([]);
  });

  it('does nothing without import.meta.hot (production-like)', () => {
    expect(() => api.setupModule(undefined, 'http://x/src/D.tsx', ns({ Card }))).not.toThrow();
  });
});

/** The boundary rule (src/client/boundary.ts) with react-refresh's real component test. */
import { describe, expect, it } from 'vitest';
import { isLikelyComponentType } from 'react-refresh/runtime';
import { componentExports, isRefreshBoundary, refreshBlocker } from '../client/boundary.js';

const isComponent = (value: unknown) => isLikelyComponentType(value);

function App() {
  return null;
}
function App2() {
  return null;
}
function useCount() {
  return 0;
}
const memoLike = { $$typeof: Symbol.for('react.memo'), type: App, compare: null };

/** A namespace-like object: null prototype, getters, a toStringTag (not enumerable). */
function ns(values: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(values).sort()) Object.defineProperty(out, key, { get: () => values[key], enumerable: true });
  Object.defineProperty(out, Symbol.toStringTag, { value: 'Module' });
  return out;
}

describe('isRefreshBoundary', () => {
  it('is true for a module that exports components (functions, memo objects)', () => {
    expect(isRefreshBoundary(ns({ default: App }), isComponent)).toBe(true);
    expect(isRefreshBoundary(ns({ Card: memoLike }), isComponent)).toBe(true);
  });

  it('is true for a module exporting a component and a constant (checked again on update)', () => {
    expect(isRefreshBoundary(ns({ App, LIMIT: 3 }), isComponent)).toBe(true);
  });

  it('is false for modules without component exports: hooks, utilities, nothing at all', () => {
    expect(isRefreshBoundary(ns({ useCount }), isComponent)).toBe(false);
    expect(isRefreshBoundary(ns({ LIMIT: 3, format: () => '' }), isComponent)).toBe(false);
    expect(isRefreshBoundary(ns({}), isComponent)).toBe(false);
  });

  it('treats an export still in its temporal dead zone as a non-component', () => {
    const exports = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(exports, 'Late', {
      enumerable: true,
      get() {
        throw new ReferenceError("Cannot access 'Late' before initialization");
      },
    });
    expect(isRefreshBoundary(exports, isComponent)).toBe(false);
  });
});

describe('refreshBlocker', () => {
  it('allows an update whose exports are all components', () => {
    expect(refreshBlocker(ns({ default: App, Card: memoLike }), ns({ default: App2, Card: memoLike }), isComponent)).toBeNull();
  });

  it('allows a non-component export whose value did not change', () => {
    expect(refreshBlocker(ns({ App, LIMIT: 3 }), ns({ App: App2, LIMIT: 3 }), isComponent)).toBeNull();
  });

  it('names a non-component export whose value changed', () => {
    expect(refreshBlocker(ns({ App, LIMIT: 3 }), ns({ App: App2, LIMIT: 4 }), isComponent)).toMatch(
      /^Could not Fast Refresh \("LIMIT" export is not a component and its value changed\)/,
    );
    // A hook is re-created by every run of the module: its importers must run again.
    expect(refreshBlocker(ns({ App, useCount }), ns({ App: App2, useCount: () => 1 }), isComponent)).toMatch(/"useCount" export/);
  });

  it('names an export that was removed or is new', () => {
    expect(refreshBlocker(ns({ App, Old: App }), ns({ App: App2 }), isComponent)).toMatch(/\("Old" export was removed\)/);
    expect(refreshBlocker(ns({ App }), ns({ App: App2, subtitle: 'x' }), isComponent)).toMatch(/\("subtitle" export is new\)/);
  });

  it('refuses an update that leaves the module with no exports', () => {
    expect(refreshBlocker(ns({}), ns({}), isComponent)).toMatch(/no exports/);
  });
});

describe('componentExports', () => {
  it('gives each exported component a registration id "<module> export <name>"', () => {
    expect(componentExports('http://x/src/App.tsx', ns({ default: App, LIMIT: 1, Card: memoLike }), isComponent)).toEqual([
      [memoLike, 'http://x/src/App.tsx export Card'],
      [App, 'http://x/src/App.tsx export default'],
    ]);
  });
});

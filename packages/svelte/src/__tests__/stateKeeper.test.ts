/**
 * The state keeper (src/client/stateKeeper.js), as the rewritten code calls it: a first
 * version, the next version of the same instance, a new instance, a changed signature.
 */
import { describe, expect, it } from 'vitest';
import { proxy, state, stats } from '../client/stateKeeper.js';

const signal = (v: unknown) => ({ v });

describe('state', () => {
  it('gives the next version of an instance the last value of the same declaration', () => {
    const props = {};
    const first = state(props, 'count', 'sig', signal(0));
    expect(first.v).toBe(0);
    first.v = 3; // what Svelte does when the state changes
    const before = stats.restored;
    const second = state(props, 'count', 'sig', signal(0));
    expect(second).not.toBe(first);
    expect(second.v).toBe(3);
    expect(stats.restored).toBe(before + 1);
    second.v = 4;
    expect(state(props, 'count', 'sig', signal(0)).v).toBe(4);
  });

  it('starts over for a new instance, another label or a changed initial value', () => {
    const props = {};
    state(props, 'count', 'sig', signal(0)).v = 7;
    expect(state({}, 'count', 'sig', signal(0)).v).toBe(0);
    expect(state(props, 'other', 'sig', signal(1)).v).toBe(1);
    const changed = state(props, 'count', 'new-sig', signal(10));
    expect(changed.v).toBe(10);
    // ...and the changed declaration is what the next version builds on.
    changed.v = 11;
    expect(state(props, 'count', 'new-sig', signal(10)).v).toBe(11);
  });

  it('keeps nothing without a holder (no props object, no import.meta.hot)', () => {
    expect(state(undefined, 'a', 's', signal(1)).v).toBe(1);
    expect(proxy(undefined, 'a', 's', 'fresh')).toBe('fresh');
  });
});

describe('proxy', () => {
  it('hands the next version the same deep-state object', () => {
    const data = {};
    const items = [1, 2];
    expect(proxy(data, 'items', 'sig', items)).toBe(items);
    items.push(3);
    expect(proxy(data, 'items', 'sig', [1, 2])).toBe(items);
    expect(proxy(data, 'items', 'changed', [9])).toEqual([9]);
  });

  it('does not take a plain state for a proxy or the other way round', () => {
    const data = {};
    state(data, 'x', 'sig', signal(5));
    expect(proxy(data, 'x', 'sig', 'object')).toBe('object');
    expect(state(data, 'x', 'sig', signal(0)).v).toBe(0);
  });
});

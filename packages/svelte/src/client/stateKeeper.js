// @ts-check
/**
 * The state keeper: served to the browser as the module `virtual:@devserver/svelte/state`
 * (plain JS, read by the plugin as is; typed with JSDoc and checked by `pnpm typecheck`).
 *
 * Compiled components and `.svelte.js`/`.svelte.ts` modules call it around their state
 * declarations (src/node/preserveState.ts writes the calls). It remembers, per holder (a
 * component instance's props object, or a module's `import.meta.hot.data`) and per label,
 * the last state created there. When the next version of the same instance or module
 * declares the same label with the same signature, it starts from the remembered value:
 *  - `state`: a fresh signal whose value is set to the old signal's before anything reads
 *    it (Svelte signals keep their value in `v`; the old one is never read again);
 *  - `proxy`: the old deep-state proxy itself, so its properties keep their values.
 * A first run, a new instance or a changed signature returns what it was given.
 *
 * This module never changes while the page lives, so the WeakMap below is the one shared
 * by every component; props objects and module data are its keys, so nothing leaks.
 */

/** @typedef {{ kind: 'state' | 'proxy', signature: string, value: unknown }} Slot */

/** @type {WeakMap<object, Map<string, Slot>>} */
const slots = new WeakMap();

/** Kept values, for tests and debugging: how many times a value was carried over. */
export const stats = { restored: 0 };

/**
 * @param {unknown} holder
 * @returns {Map<string, Slot> | null}
 */
function slotsOf(holder) {
  if (holder === null || typeof holder !== 'object') return null;
  let map = slots.get(holder);
  if (!map) slots.set(holder, (map = new Map()));
  return map;
}

/**
 * A `$state` signal (`$.tag($.state(x), label)`).
 * @template {{ v: unknown }} S
 * @param {unknown} holder
 * @param {string} label
 * @param {string} signature
 * @param {S} signal
 * @returns {S}
 */
export function state(holder, label, signature, signal) {
  const map = slotsOf(holder);
  if (!map) return signal;
  const previous = map.get(label);
  if (previous && previous.kind === 'state' && previous.signature === signature && previous.value !== signal) {
    signal.v = /** @type {{ v: unknown }} */ (previous.value).v;
    stats.restored++;
  }
  map.set(label, { kind: 'state', signature, value: signal });
  return signal;
}

/**
 * A deep `$state` that is never reassigned (`$.tag_proxy($.proxy(x), label)`).
 * @template T
 * @param {unknown} holder
 * @param {string} label
 * @param {string} signature
 * @param {T} value
 * @returns {T}
 */
export function proxy(holder, label, signature, value) {
  const map = slotsOf(holder);
  if (!map) return value;
  const previous = map.get(label);
  if (previous && previous.kind === 'proxy' && previous.signature === signature) {
    stats.restored++;
    return /** @type {T} */ (previous.value);
  }
  map.set(label, { kind: 'proxy', signature, value });
  return value;
}

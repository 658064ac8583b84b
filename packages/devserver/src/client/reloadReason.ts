/**
 * Formats the reason of a full reload with the import chain that forced it, the way the
 * terminal and the console show it: `src/data.ts is not accepted (src/data.ts ->
 * src/store.ts -> src/main.ts, an entry)`.
 */

/** A module id as people read it: the URL path without its leading slash. */
export function displayId(id: string): string {
  return id.startsWith('/') ? id.slice(1) : id;
}

/** `(a -> b -> c, tail)`, or `(a -> b -> c)` without a tail. */
export function formatChain(chain: readonly string[], tail?: string): string {
  const text = chain.map(displayId).join(' -> ');
  return tail ? `(${text}, ${tail})` : `(${text})`;
}

// Order statistics for the report: median and p90 (nearest rank), over every sample of
// every run. Small sample counts make p90 close to the max; the report prints n beside it.

/** @example quantile([1, 2, 3, 4], 0.5) // -> 2.5 */
export function quantile(values, q) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  if (q === 0.5) {
    const mid = xs.length >> 1;
    return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  }
  const rank = Math.ceil(q * xs.length) - 1;
  return xs[Math.min(xs.length - 1, Math.max(0, rank))];
}

/** @example summarize([3, 1, 2]) // -> { n: 3, median: 2, p90: 3, min: 1, max: 3 } */
export function summarize(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  return {
    n: xs.length,
    median: quantile(xs, 0.5),
    p90: quantile(xs, 0.9),
    min: xs.length ? Math.min(...xs) : null,
    max: xs.length ? Math.max(...xs) : null,
  };
}

/** a / b, or null when either is missing or b is 0. */
export function ratio(a, b) {
  return a === null || b === null || b === 0 ? null : a / b;
}

// Turns the raw runs into the numbers the report prints: per app size and server, median
// and p90 of every metric over all samples of all runs, the devserver/Vite ratio of the
// medians, reload and timeout counts, and each target checked against the medians.
import { METRICS, TARGETS } from './metrics.mjs';
import { ratio, summarize } from './stats.mjs';

export const SERVER_KINDS = ['devserver', 'vite'];
/** A run during which other processes used more than this many cores is flagged. */
export const DISTURBED_CORES = 0.25;

function serverSummary(runs) {
  const metrics = {};
  for (const { key } of METRICS) metrics[key] = summarize(runs.flatMap((r) => r.samples[key]));
  const bursts = runs.flatMap((r) => r.bursts);
  return {
    runs: runs.length,
    metrics,
    reloads: {
      edits: runs.reduce((n, r) => n + r.reloads.edits, 0),
      bursts: runs.reduce((n, r) => n + r.reloads.bursts, 0),
      burstCount: bursts.length,
    },
    staleBursts: bursts.filter((b) => b.timedOut).length,
    timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
    pageErrors: [...new Set(runs.flatMap((r) => r.pageErrors))].slice(0, 5),
    errors: runs.flatMap((r) => r.errors.map((e) => `run ${r.run}: ${e.split('\n')[0]}`)),
    memAfterGcMb: summarize(runs.map((r) => r.memAfterGcMb?.heapUsed)),
    disturbedRuns: runs.filter((r) => (r.othersCpuCores ?? 0) > DISTURBED_CORES).length,
  };
}

function checkTarget(target, sizes) {
  const results = [];
  for (const size of sizes) {
    if (target.modules !== undefined && size.modules !== target.modules) continue;
    const ds = size.servers.devserver;
    if (!ds) continue;
    if (target.reloads) {
      const reloads = ds.reloads.bursts;
      const stale = ds.staleBursts;
      const value = `${reloads} reloads, ${stale} stale in ${ds.reloads.burstCount} bursts`;
      results.push({ modules: size.modules, value, met: ds.reloads.burstCount > 0 && reloads === 0 && stale === 0 });
    } else if (target.maxRatio !== undefined) {
      const r = size.ratios[target.metric];
      results.push({ modules: size.modules, value: r, met: r === null ? null : r <= target.maxRatio });
    } else {
      const v = ds.metrics[target.metric].median;
      results.push({ modules: size.modules, value: v, met: v === null ? null : v <= target.max });
    }
  }
  return { ...target, results };
}

/**
 * @example const summary = summarizeRuns(runs); summary.sizes[0].ratios.hmrLeafMs // -> 0.8
 */
export function summarizeRuns(runs) {
  const sizes = [...new Set(runs.map((r) => r.modules))].sort((a, b) => a - b).map((modules) => {
    const servers = {};
    for (const kind of SERVER_KINDS) {
      const mine = runs.filter((r) => r.modules === modules && r.kind === kind);
      if (mine.length) servers[kind] = serverSummary(mine);
    }
    const ratios = {};
    for (const { key } of METRICS) {
      ratios[key] = ratio(servers.devserver?.metrics[key].median ?? null, servers.vite?.metrics[key].median ?? null);
    }
    return { modules, servers, ratios };
  });
  return { sizes, targets: TARGETS.map((t) => checkTarget(t, sizes)) };
}

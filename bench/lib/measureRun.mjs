// One measured run: one server, one app size, a fresh server process and a fresh browser
// context. Order: wait until the machine is idle (the new tab has started) -> spawn ->
// ready -> cold load -> warm reloads -> HMR edits (leaf, CSS, bubbling) -> 5 ms save
// bursts -> memory. Every sample is kept (the report takes medians
// and p90 over all runs). Whatever fails is recorded in `errors` and the run still ends
// with its server killed and its context closed.
import os from 'node:os';
import { loadPage, newBenchContext } from './browser.mjs';
import { createProber, resetProbes } from './hmrProbes.mjs';
import { cpuSnapshot, othersCpuCores, waitForQuiet } from './processes.mjs';
import { clearCaches, memoryAfterGc, serverCpu, serverRss, startServer } from './servers.mjs';

/** Default shape of a run; `pnpm bench --edits N` changes `leafEdits`. */
export const RUN_PLAN = { warmReloads: 3, leafEdits: 10, cssEdits: 5, bubbleEdits: 5, burstWrites: 10, burstIntervalMs: 5 };

function emptyRun(kind, modules, run) {
  return {
    kind,
    modules,
    run,
    loadAvgBefore: os.loadavg()[0],
    samples: { readyMs: [], coldLoadMs: [], warmReloadMs: [], startToLoadedMs: [], hmrLeafMs: [], hmrCssMs: [], hmrBubbleMs: [], rssMb: [], cpuS: [] },
    reloads: { edits: 0, bursts: 0 },
    /** Single edits whose value never showed (a burst that ends stale is in `bursts`). */
    timeouts: 0,
    bursts: [],
    pageErrors: [],
    errors: [],
  };
}

async function hmrSeries(prober, kind, count, sink, result) {
  const warm = await prober.warmUp(kind);
  if (warm.timedOut) {
    result.errors.push(`${kind}: no HMR update reached the page (warm-up timed out)`);
    return;
  }
  for (let i = 0; i < count; i++) {
    const r = await prober.edit(kind);
    if (r.reloaded) result.reloads.edits++;
    if (r.timedOut) result.timeouts++;
    else sink.push(r.latencyMs);
  }
}

/**
 * @example const r = await measureRun({ kind: 'vite', root, modules: 1000, run: 1, browser, timeouts });
 */
export async function measureRun({ kind, root, modules, run, browser, timeouts, plan = RUN_PLAN }) {
  const result = emptyRun(kind, modules, run);
  const s = result.samples;
  const cpuAtStart = cpuSnapshot();
  clearCaches(root);
  resetProbes(root);
  const context = await newBenchContext(browser);
  const page = await context.newPage();
  page.on('pageerror', (error) => result.pageErrors.length < 5 && result.pageErrors.push(String(error.message).slice(0, 300)));
  let server;
  try {
    await page.goto('about:blank');
    result.busyCoresAtSpawn = await waitForQuiet();
    server = await startServer(kind, root, { timeoutMs: timeouts.readyMs });
    s.readyMs.push(server.readyMs);
    const cold = await loadPage(page, server.url, timeouts.loadMs);
    s.coldLoadMs.push(cold.renderedMs);
    s.startToLoadedMs.push(cold.renderedAt - server.spawnedAt);
    result.rssAfterLoadMb = serverRss(server).total;
    let docId = cold.docId;
    for (let i = 0; i < plan.warmReloads; i++) {
      const warm = await loadPage(page, null, timeouts.loadMs);
      s.warmReloadMs.push(warm.renderedMs);
      docId = warm.docId;
    }
    await page.evaluate(() => window.__bench.arm());
    const prober = createProber(page, root, docId, { timeoutMs: timeouts.hmrMs });
    await hmrSeries(prober, 'leaf', plan.leafEdits, s.hmrLeafMs, result);
    await hmrSeries(prober, 'css', plan.cssEdits, s.hmrCssMs, result);
    await hmrSeries(prober, 'bubble', plan.bubbleEdits, s.hmrBubbleMs, result);
    for (const kind2 of ['leaf', 'bubble', 'css']) {
      const b = await prober.burst(kind2, plan.burstWrites, plan.burstIntervalMs);
      result.bursts.push({ kind: kind2, ...b });
      if (b.reloaded) result.reloads.bursts++;
    }
    const rss = serverRss(server);
    s.rssMb.push(rss.total);
    result.rssDetail = rss;
    s.cpuS.push(serverCpu(server));
    result.memAfterGcMb = await memoryAfterGc(server);
  } catch (error) {
    result.errors.push(String(error instanceof Error ? error.message : error).slice(0, 2000));
  } finally {
    await context.close().catch(() => undefined);
    if (server) {
      result.serverOutputTail = server.child.output().slice(-1500);
      await server.stop();
    }
    result.loadAvgAfter = os.loadavg()[0];
    result.othersCpuCores = othersCpuCores(cpuAtStart, cpuSnapshot());
  }
  return result;
}

// `pnpm bench --soak`: one long HMR session per server (500 edits by default: 8 of 10 on the
// self-accepting leaf, 1 CSS, 1 bubbling), with memory after GC sampled every 25 edits:
// the server's heap (memProbe.mjs: two full GCs, then process.memoryUsage()), its process
// tree RSS, and the page's JS heap after a GC (CDP HeapProfiler.collectGarbage). A leak
// shows as a line that keeps climbing. Writes soak-<stamp>.{json,md,svg} and soak-latest.*.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, loadPage, newBenchContext } from './browser.mjs';
import { lineChart } from './chart.mjs';
import { generateApp } from './generateApp.mjs';
import { createProber, resetProbes } from './hmrProbes.mjs';
import { cpuSnapshot, onExit, othersCpuCores } from './processes.mjs';
import { fmt } from './report.mjs';
import { clearCaches, memoryAfterGc, serverRss, startServer } from './servers.mjs';
import { summarize } from './stats.mjs';
import { fileStamp } from './writeResults.mjs';

const EVERY = 25;
const kindOf = (i) => (i % 10 === 4 ? 'css' : i % 10 === 9 ? 'bubble' : 'leaf');

async function checkpoint(server, cdp, edit, t0) {
  const mem = await memoryAfterGc(server);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return {
    edit,
    elapsedS: (Date.now() - t0) / 1000,
    serverHeapMb: mem?.heapUsed ?? null,
    serverRssMb: serverRss(server).total,
    pageHeapMb: usedSize / 1048576,
    load: os.loadavg()[0],
  };
}

async function soakOne({ kind, app, edits, deadline, log }) {
  clearCaches(app.dir);
  resetProbes(app.dir);
  const browser = await launchBrowser();
  const stopBrowser = onExit(() => browser.close());
  const result = { kind, chromium: browser.version(), modules: app.modules, edits: 0, checkpoints: [], latencies: { leaf: [], css: [], bubble: [] }, reloads: 0, timeouts: 0, errors: [] };
  let server;
  const cpuAtStart = cpuSnapshot();
  try {
    const context = await newBenchContext(browser);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    server = await startServer(kind, app.dir);
    const loaded = await loadPage(page, server.url, 120000);
    await page.evaluate(() => window.__bench.arm());
    const prober = createProber(page, app.dir, loaded.docId);
    for (const k of ['leaf', 'css', 'bubble']) await prober.warmUp(k);
    const t0 = Date.now();
    result.checkpoints.push(await checkpoint(server, cdp, 0, t0));
    for (let i = 0; i < edits; i++) {
      if (Date.now() > deadline) {
        result.errors.push(`time budget used up after ${i} edits`);
        break;
      }
      const k = kindOf(i);
      const r = await prober.edit(k);
      result.edits++;
      if (r.reloaded) result.reloads++;
      if (r.timedOut) result.timeouts++;
      else result.latencies[k].push(r.latencyMs);
      if ((i + 1) % EVERY === 0) {
        const c = await checkpoint(server, cdp, i + 1, t0);
        result.checkpoints.push(c);
        if ((i + 1) % 100 === 0) log(`  ${kind} ${i + 1} edits: server heap ${fmt(c.serverHeapMb)} MiB, rss ${fmt(c.serverRssMb)} MiB, page heap ${fmt(c.pageHeapMb)} MiB`);
      }
    }
    // Before the browser closes: its helper processes may exit unreaped by us, and their CPU
    // time would then be counted as other processes'.
    result.othersCpuCores = othersCpuCores(cpuAtStart, cpuSnapshot());
  } catch (error) {
    result.errors.push(String(error instanceof Error ? error.message : error).slice(0, 1000));
  } finally {
    await browser.close().catch(() => undefined);
    stopBrowser();
    if (server) await server.stop();
  }
  return result;
}

function growth(cps, key) {
  const first = cps[0]?.[key];
  const last = cps[cps.length - 1]?.[key];
  return first == null || last == null ? null : last - first;
}

function soakMarkdown(meta, results, chartName) {
  const o = [`# devserver vs Vite soak: ${meta.date}`, ''];
  o.push(`Command: \`${meta.command}\`. ${meta.edits} edits per server at N = ${meta.modules.toLocaleString('en-US')} (8 of 10 leaf, 1 CSS, 1 bubbling), memory after GC every ${EVERY} edits.`, '');
  o.push(`Machine: ${meta.machine.cpu}, ${meta.machine.cores} cores, ${meta.machine.memGiB} GiB; Node ${meta.machine.node}, Chromium ${meta.machine.chromium}, Vite ${meta.versions.vite}, devserver ${meta.versions.devserver} (${meta.versions.commit}); load average ${meta.loadStart.map((x) => x.toFixed(2)).join(' / ')} at start, ${meta.loadEnd[0].toFixed(2)} at end; CPU used by other processes during each soak: ${results.map((r) => `${r.kind} ${r.othersCpuCores?.toFixed(2) ?? '?'}`).join(', ')} cores of ${meta.machine.cores}.`, '');
  o.push('| server | edits | reloads | timeouts | HMR leaf p50 / p90 (ms) | server heap after GC: first -> last (MiB) | server RSS first -> last (MiB) | page heap after GC first -> last (MiB) |');
  o.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const c = r.checkpoints;
    const leaf = summarize(r.latencies.leaf);
    const span = (key) => (c.length ? `${fmt(c[0][key])} -> ${fmt(c[c.length - 1][key])} (${growth(c, key) >= 0 ? '+' : ''}${fmt(growth(c, key))})` : '–');
    o.push(`| ${r.kind} | ${r.edits} | ${r.reloads} | ${r.timeouts} | ${fmt(leaf.median)} / ${fmt(leaf.p90)} | ${span('serverHeapMb')} | ${span('serverRssMb')} | ${span('pageHeapMb')} |`);
  }
  o.push('');
  for (const r of results) {
    if (r.errors.length) o.push(`${r.kind} errors: ${r.errors.map((e) => `\`${e.split('\n')[0]}\``).join('; ')}`, '');
    o.push(`### ${r.kind}: checkpoints`, '', '| edits | time (s) | server heap (MiB) | server RSS (MiB) | page heap (MiB) | load |', '| ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const c of r.checkpoints.filter((c) => c.edit % 100 === 0 || c === r.checkpoints[r.checkpoints.length - 1])) {
      o.push(`| ${c.edit} | ${c.elapsedS.toFixed(0)} | ${fmt(c.serverHeapMb)} | ${fmt(c.serverRssMb)} | ${fmt(c.pageHeapMb)} | ${c.load.toFixed(2)} |`);
    }
    o.push('');
  }
  o.push(`![memory after GC over edits](./${chartName})`, '');
  return o.join('\n');
}

/** Runs the soak for each server kind and writes the results. */
export async function runSoak({ meta, kinds, tmp, modules, edits, deadline, out, write, log }) {
  const app = generateApp(path.join(tmp, `soak${modules}`), modules);
  Object.assign(meta, { modules: app.modules, edits, loadStart: os.loadavg() });
  const results = [];
  for (const kind of kinds) {
    log(`soak: ${kind}, ${edits} edits at N=${app.modules}`);
    results.push(await soakOne({ kind, app, edits, deadline, log }));
  }
  meta.loadEnd = os.loadavg();
  meta.machine.chromium ??= results[0]?.chromium;
  const colors = { devserver: '#4e79a7', vite: '#f28e2b' };
  const series = results.flatMap((r) => [
    { name: `${r.kind} server heap`, color: colors[r.kind], points: r.checkpoints.map((c) => [c.edit, c.serverHeapMb ?? 0]) },
    { name: `${r.kind} page heap`, color: colors[r.kind], dashed: true, points: r.checkpoints.map((c) => [c.edit, c.pageHeapMb]) },
  ]);
  const stamp = `soak-${fileStamp(meta.date)}`;
  const svg = lineChart({ title: `Memory after GC over ${edits} edits (N = ${app.modules})`, xLabel: 'edits', yLabel: 'MiB', series });
  const md = soakMarkdown(meta, results, `${stamp}.svg`);
  process.stdout.write(`${md}\n`);
  if (!write) return;
  mkdirSync(out, { recursive: true });
  for (const name of [stamp, 'soak-latest']) {
    writeFileSync(path.join(out, `${name}.md`), name === stamp ? md : md.replace(`./${stamp}.svg`, './soak-latest.svg'));
    writeFileSync(path.join(out, `${name}.json`), `${JSON.stringify({ meta, results }, null, 1)}\n`);
    writeFileSync(path.join(out, `${name}.svg`), `${svg}\n`);
  }
  log(`wrote ${path.join(out, `${stamp}.{json,md,svg}`)} and soak-latest.*`);
}

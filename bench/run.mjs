#!/usr/bin/env node
// `pnpm bench`: devserver and Vite side by side on generated apps, several runs each,
// medians/p90/ratios printed and written to bench/results/ (<date>.json/.md/.svg and
// latest.*). Bounded: a time budget stops new runs (the report says it is incomplete) and
// a watchdog kills everything if a step hangs past it.
//   pnpm bench                N = 10 and 1,000, 3 runs each (~4 min)
//   pnpm bench --full         adds N = 5,000, 5 runs each (~11 min)
//   pnpm bench --soak         500 edits per server at N = 1,000, memory after GC over time
//   options: --sizes 10,1000 --runs 3 --budget <s> --out <dir> --only devserver|vite
//            --soak-edits 500 --soak-size 1000 --no-write
//            --render results/<file>.json   (re-write that run's report and chart from its JSON)
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './lib/browser.mjs';
import { generateApp } from './lib/generateApp.mjs';
import { describeMachine, describeVersions } from './lib/machine.mjs';
import { measureRun } from './lib/measureRun.mjs';
import { METHOD } from './lib/metrics.mjs';
import { onExit } from './lib/processes.mjs';
import { textReport } from './lib/report.mjs';
import { writeResults } from './lib/writeResults.mjs';
import { quantile } from './lib/stats.mjs';
import { runSoak } from './lib/soak.mjs';
import { SERVER_KINDS, summarizeRuns } from './lib/summarize.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    soak: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    runs: { type: 'string' },
    budget: { type: 'string' },
    out: { type: 'string', default: path.join(here, 'results') },
    only: { type: 'string' },
    'soak-edits': { type: 'string', default: '500' },
    'soak-size': { type: 'string', default: '1000' },
    'no-write': { type: 'boolean', default: false },
    render: { type: 'string' },
  },
});

const sizes = opts.sizes ? opts.sizes.split(',').map(Number) : opts.full ? [10, 1000, 5000] : [10, 1000];
const runsPerServer = Number(opts.runs ?? (opts.full ? 5 : 3));
const budgetS = Number(opts.budget ?? (opts.soak ? 1200 : opts.full ? 2400 : 600));
const kinds = opts.only ? [opts.only] : SERVER_KINDS;
if (!kinds.every((k) => SERVER_KINDS.includes(k))) {
  process.stderr.write(`bench: --only takes ${SERVER_KINDS.join(' or ')}, not ${opts.only}\n`);
  process.exit(1);
}
const log = (line) => process.stderr.write(`${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const started = Date.now();
const deadline = started + budgetS * 1000;
// Hard stop: a hung browser or server must not keep the bench (or CI) alive forever.
const watchdog = setTimeout(() => {
  log(`bench: still running ${budgetS + 120} s after start (budget ${budgetS} s); killing everything`);
  process.exit(2);
}, (budgetS + 120) * 1000);
watchdog.unref();

const tmp = path.join(os.tmpdir(), `devserver-bench-${process.pid}`);
mkdirSync(tmp, { recursive: true });
onExit(() => rmSync(tmp, { recursive: true, force: true }));

function timeoutsFor(modules) {
  return { readyMs: 60000, loadMs: Math.max(60000, modules * 30), hmrMs: 10000 };
}

function progress(r) {
  const s = r.samples;
  const one = (xs) => (xs.length ? Math.round(quantile(xs, 0.5)) : '–');
  const err = r.errors.length ? `  ERROR: ${r.errors[0].split('\n')[0]}` : '';
  log(
    `  N=${r.modules} run ${r.run} ${r.kind.padEnd(9)} ready ${one(s.readyMs)}  cold ${one(s.coldLoadMs)}  warm ${one(s.warmReloadMs)}` +
      `  loaded ${one(s.startToLoadedMs)}  hmr ${one(s.hmrLeafMs)}/${one(s.hmrCssMs)}/${one(s.hmrBubbleMs)}  rss ${one(s.rssMb)}` +
      `  reloads ${r.reloads.edits}/${r.reloads.bursts}  load ${r.loadAvgBefore.toFixed(2)}${err}`,
  );
}

async function benchAll(meta) {
  const runs = [];
  for (const modules of sizes) {
    const app = generateApp(path.join(tmp, `n${modules}`), modules);
    log(`N=${app.modules}: app in ${app.dir}`);
    for (let run = 1; run <= runsPerServer; run++) {
      // Alternate which server goes first, so drift in machine load hits both alike.
      const order = run % 2 ? kinds : [...kinds].reverse();
      for (const kind of order) {
        if (Date.now() > deadline) {
          meta.incomplete = `time budget of ${budgetS} s used up before N=${modules} run ${run} (${kind})`;
          return runs;
        }
        const browser = await launchBrowser();
        const stopBrowser = onExit(() => browser.close());
        meta.machine.chromium ??= browser.version();
        try {
          const r = await measureRun({ kind, root: app.dir, modules: app.modules, run, browser, timeouts: timeoutsFor(modules) });
          runs.push(r);
          progress(r);
        } finally {
          await browser.close().catch(() => undefined);
          stopBrowser();
        }
        await sleep(500); // let the killed server's memory and sockets go before the next one
      }
    }
  }
  return runs;
}

function loadSummary(runs, startLoad) {
  const loads = runs.flatMap((r) => [r.loadAvgBefore, r.loadAvgAfter]).filter((x) => typeof x === 'number');
  const others = runs.map((r) => r.othersCpuCores).filter((x) => typeof x === 'number');
  return {
    othersMedian: quantile(others, 0.5),
    othersMax: others.length ? Math.max(...others) : null,
    start: startLoad,
    end: os.loadavg(),
    runMin: loads.length ? Math.min(...loads) : startLoad[0],
    runMax: loads.length ? Math.max(...loads) : startLoad[0],
    runMedian: loads.length ? quantile(loads, 0.5) : startLoad[0],
  };
}

/** What the load numbers mean for this run, in one sentence (or undefined when quiet). */
function loadNote(load) {
  if ((load.othersMedian ?? 0) > 0.25) return 'Other work shared the 2 cores during the runs: treat every number as noisy';
  if (load.start[0] > 1.5) {
    return 'The load average was high when the bench started, but other processes were nearly idle during the runs (the load average then is mostly the bench itself)';
  }
  return undefined;
}

/** `--render file.json`: rebuild a saved run's report and chart (and latest.*, for latest.json). */
function render(file) {
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  saved.meta.loadNote = loadNote(saved.meta.load);
  saved.meta.method = METHOD;
  const summary = summarizeRuns(saved.runs);
  process.stdout.write(`${textReport(summary)}\n`);
  const latest = path.basename(file) === 'latest.json';
  log(`wrote ${writeResults({ dir: path.dirname(path.resolve(file)), meta: saved.meta, summary, runs: saved.runs, latest }).join(', ')}`);
}

async function main() {
  if (opts.render) return render(opts.render);
  const startLoad = os.loadavg();
  const meta = {
    date: new Date().toISOString(),
    command: `pnpm bench${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: describeMachine(undefined),
    versions: describeVersions(),
    runsPerServer,
    method: METHOD,
  };
  log(`bench: ${meta.machine.cpu} x${meta.machine.cores}, load ${startLoad.map((x) => x.toFixed(2)).join(' ')}; budget ${budgetS} s`);
  if (opts.soak) {
    await runSoak({ meta, kinds, tmp, modules: Number(opts['soak-size']), edits: Number(opts['soak-edits']), deadline, out: opts.out, write: !opts['no-write'], log });
    return;
  }
  const runs = await benchAll(meta);
  meta.durationS = (Date.now() - started) / 1000;
  meta.load = loadSummary(runs, startLoad);
  meta.loadNote = loadNote(meta.load);
  const summary = summarizeRuns(runs);
  process.stdout.write(`${textReport(summary)}\n`);
  log(`load: ${meta.load.start[0].toFixed(2)} before; other processes used ${meta.load.othersMedian?.toFixed(2) ?? '?'} cores (median) during the runs`);
  if (!opts['no-write']) {
    const files = writeResults({ dir: opts.out, meta, summary, runs });
    log(`\nwrote ${files.join(', ')}`);
  }
}

main()
  .catch((error) => {
    log(`bench failed: ${error instanceof Error ? error.stack : error}`);
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(watchdog));

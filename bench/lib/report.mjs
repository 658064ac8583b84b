// The human-readable results: a markdown report (machine, load, one table per app size,
// the targets, the method) and a plain-text table for stdout. Both come from the summary
// built by summarize.mjs; nothing here measures anything.
import { METRICS } from './metrics.mjs';
import { DISTURBED_CORES } from './summarize.mjs';

/** 1234.5 -> "1,235"; 12.34 -> "12.3"; null -> "–". */
export function fmt(v) {
  if (v === null || v === undefined) return '–';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(1);
}

export const fmtRatio = (r) => (r === null || r === undefined ? '–' : `${r.toFixed(2)}x`);

function reloadCell(s) {
  if (!s) return '–';
  const stale = s.staleBursts ? `, ${s.staleBursts} stale` : '';
  return `${s.reloads.edits} / ${s.reloads.bursts} of ${s.reloads.burstCount}${stale}`;
}

/** Rows of one app size: [label, ds median, ds p90, vite median, vite p90, ratio]. */
function sizeRows(size) {
  const ds = size.servers.devserver;
  const vite = size.servers.vite;
  const rows = METRICS.map(({ key, label, unit }) => [
    `${label} (${unit})`,
    fmt(ds?.metrics[key].median),
    fmt(ds?.metrics[key].p90),
    fmt(vite?.metrics[key].median),
    fmt(vite?.metrics[key].p90),
    fmtRatio(size.ratios[key]),
  ]);
  rows.push(['full reloads: edits / bursts (stale)', reloadCell(ds), '', reloadCell(vite), '', '']);
  rows.push(['single edits never shown (10 s)', String(ds?.timeouts ?? '–'), '', String(vite?.timeouts ?? '–'), '', '']);
  return rows;
}

const HEAD = ['metric', 'devserver p50', 'devserver p90', 'Vite p50', 'Vite p90', 'devserver/Vite'];

function mdTable(head, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

function targetValue(t, r) {
  if (typeof r.value === 'string') return r.value;
  return t.maxRatio !== undefined ? fmtRatio(r.value) : `${fmt(r.value)} ms`;
}

function targetRows(summary) {
  const rows = [];
  for (const t of summary.targets) {
    if (t.results.length === 0) {
      rows.push([t.text, 'not measured in this run', '–']);
      continue;
    }
    for (const r of t.results) {
      const verdict = r.met === null ? 'no data' : r.met ? 'met' : '**not met**';
      rows.push([t.text, `N=${r.modules.toLocaleString('en-US')}: ${targetValue(t, r)}`, verdict]);
    }
  }
  return rows;
}

function loadLine(meta) {
  const l = meta.load;
  const others = l.othersMedian === null ? '' : `; CPU used by other processes during the runs: median ${l.othersMedian.toFixed(2)}, max ${l.othersMax.toFixed(2)} cores of ${meta.machine.cores}`;
  return `load average before the bench ${l.start.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min); 1-min load during the runs ${l.runMin.toFixed(2)}–${l.runMax.toFixed(2)} (median ${l.runMedian.toFixed(2)}, the bench's own browser and server included)${others}`;
}

/** The markdown report. */
export function markdownReport(summary, meta) {
  const out = [];
  out.push(`# devserver vs Vite: ${meta.date}`, '');
  out.push(`Command: \`${meta.command}\`. ${meta.runsPerServer} runs per server per size, servers interleaved; ${meta.durationS.toFixed(0)} s in all.${meta.incomplete ? ` **Incomplete: ${meta.incomplete}.**` : ''}`, '');
  out.push('## Machine', '');
  out.push(`- ${meta.machine.cpu}, ${meta.machine.cores} cores, ${meta.machine.memGiB} GiB RAM, ${meta.machine.os}`);
  out.push(`- Node ${meta.machine.node}, Chromium ${meta.machine.chromium}, Vite ${meta.versions.vite}, devserver ${meta.versions.devserver} (${meta.versions.commit})`);
  out.push(`- ${loadLine(meta)}${meta.loadNote ? `. ${meta.loadNote}` : ''}`, '');
  for (const size of summary.sizes) {
    out.push(`## N = ${size.modules.toLocaleString('en-US')} modules`, '');
    out.push(mdTable(HEAD, sizeRows(size)), '');
    const disturbed = ['devserver', 'vite'].map((k) => size.servers[k] && `${k} ${size.servers[k].disturbedRuns} of ${size.servers[k].runs}`);
    out.push(`Runs during which other processes used more than ${DISTURBED_CORES} cores: ${disturbed.filter(Boolean).join(', ')}.`, '');
    for (const kind of ['devserver', 'vite']) {
      const s = size.servers[kind];
      if (s?.errors.length) out.push(`${kind} errors: ${s.errors.slice(0, 3).map((e) => `\`${e.slice(0, 200)}\``).join('; ')}`, '');
      if (s?.pageErrors.length) out.push(`${kind} page errors: ${s.pageErrors.slice(0, 3).map((e) => `\`${e.slice(0, 200)}\``).join('; ')}`, '');
    }
  }
  out.push('## Targets (reported, not asserted)', '');
  out.push(mdTable(['target', 'measured (devserver median)', 'verdict'], targetRows(summary)), '');
  out.push('## How it was measured', '', ...meta.method.map((m) => `- ${m}`), '');
  return out.join('\n');
}

/** A fixed-width table for stdout. */
export function textReport(summary) {
  const out = [];
  for (const size of summary.sizes) {
    out.push(`\nN = ${size.modules.toLocaleString('en-US')} modules`);
    const rows = [HEAD, ...sizeRows(size)];
    const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
    for (const r of rows) out.push(r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
  }
  out.push('\nTargets (not asserted):');
  for (const [text, value, verdict] of targetRows(summary)) out.push(`  ${verdict.replaceAll('*', '').padEnd(8)} ${text}: ${value}`);
  return out.join('\n');
}

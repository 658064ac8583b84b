// Writes one run's results: <stamp>.json (meta, summary and every raw sample), <stamp>.md
// (the report), <stamp>.svg (the ratio chart), and the same three as latest.* (unless
// `latest: false`, for re-rendering an older run).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ratioChart } from './chart.mjs';
import { markdownReport } from './report.mjs';

/** "2025-11-21T06:27:02.123Z" -> "2025-11-21-0627" (UTC). */
export function fileStamp(iso) {
  return `${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** @returns the paths written */
export function writeResults({ dir, meta, summary, runs, prefix = '', latest = true }) {
  mkdirSync(dir, { recursive: true });
  const stamp = `${prefix}${fileStamp(meta.date)}`;
  const chartName = `${stamp}.svg`;
  const md = `${markdownReport(summary, meta)}\n![devserver/Vite ratios](./${chartName})\n`;
  const json = `${JSON.stringify({ meta, summary, runs }, null, 1)}\n`;
  const svg = `${ratioChart(summary, `devserver vs Vite, ${meta.date.slice(0, 10)}`)}\n`;
  const written = [];
  for (const name of latest ? [stamp, `${prefix}latest`] : [stamp]) {
    const mdOut = name === stamp ? md : md.replace(`./${chartName}`, `./${prefix}latest.svg`);
    writeFileSync(path.join(dir, `${name}.md`), mdOut);
    writeFileSync(path.join(dir, `${name}.json`), json);
    writeFileSync(path.join(dir, `${name}.svg`), svg);
    written.push(`${name}.{json,md,svg}`);
  }
  return written.map((w) => path.join(path.relative(process.cwd(), dir) || '.', w));
}

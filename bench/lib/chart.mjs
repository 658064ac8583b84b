// SVG charts written by hand (no chart library): the devserver/Vite ratio of every metric
// as horizontal bars on a log scale (left of 1x: devserver better), one bar per app size,
// with the ratio targets marked; and, for the soak, memory-over-edits lines.
import { METRICS, TARGETS } from './metrics.mjs';

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2'];
const esc = (s) => String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]);
const TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

/** The ratio chart for `summary` (see summarize.mjs). */
export function ratioChart(summary, title) {
  const sizes = summary.sizes;
  const all = sizes.flatMap((s) => Object.values(s.ratios)).filter((r) => r !== null && r > 0);
  const lo = Math.min(0.2, ...all.map((r) => r / 1.4));
  const hi = Math.max(2, ...all.map((r) => r * 1.4));
  const ticks = TICKS.filter((t) => t >= lo && t <= hi);
  const [minT, maxT] = [Math.log10(Math.min(lo, ticks[0])), Math.log10(Math.max(hi, ticks[ticks.length - 1]))];
  const left = 150;
  const plotW = 600;
  const barH = 14;
  const rowH = sizes.length * (barH + 3) + 14;
  const top = 64;
  const height = top + METRICS.length * rowH + 56;
  const width = left + plotW + 110;
  const x = (r) => left + ((Math.log10(r) - minT) / (maxT - minT)) * plotW;
  const o = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  o.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  o.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  o.push(`<text x="${width / 2}" y="40" text-anchor="middle" fill="#555">devserver / Vite, ratio of medians, log scale: left of 1x devserver is faster or smaller</text>`);
  const bottom = top + METRICS.length * rowH;
  for (const t of ticks) {
    o.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top - 6}" y2="${bottom}" stroke="${t === 1 ? '#000' : '#ddd'}" stroke-width="${t === 1 ? 1.5 : 1}"/>`);
    o.push(`<text x="${x(t)}" y="${bottom + 16}" text-anchor="middle" fill="#333">${t}x</text>`);
  }
  METRICS.forEach((m, i) => {
    const y0 = top + i * rowH;
    o.push(`<text x="${left - 8}" y="${y0 + rowH / 2}" text-anchor="end" dominant-baseline="middle">${esc(m.label)}</text>`);
    sizes.forEach((s, j) => {
      const r = s.ratios[m.key];
      const y = y0 + 4 + j * (barH + 3);
      if (r === null || !(r > 0)) {
        o.push(`<text x="${x(1) + 4}" y="${y + barH - 3}" fill="#999">no data</text>`);
        return;
      }
      const [a, b] = [Math.min(x(1), x(r)), Math.max(x(1), x(r))];
      o.push(`<rect x="${a}" y="${y}" width="${Math.max(1, b - a)}" height="${barH}" fill="${COLORS[j % COLORS.length]}"/>`);
      const tx = r >= 1 ? b + 4 : a - 4;
      o.push(`<text x="${tx}" y="${y + barH - 3}" text-anchor="${r >= 1 ? 'start' : 'end'}" font-size="11">${r.toFixed(2)}x</text>`);
    });
    // Drawn after the bars so a bar never hides its target.
    const target = TARGETS.find((t) => t.metric === m.key && t.maxRatio !== undefined);
    if (target) {
      o.push(`<line x1="${x(target.maxRatio)}" x2="${x(target.maxRatio)}" y1="${y0 + 1}" y2="${y0 + rowH - 9}" stroke="#d00" stroke-width="2" stroke-dasharray="4 2"/>`);
    }
  });
  const ly = bottom + 36;
  sizes.forEach((s, j) => {
    o.push(`<rect x="${left + j * 130}" y="${ly - 10}" width="12" height="12" fill="${COLORS[j % COLORS.length]}"/>`);
    o.push(`<text x="${left + j * 130 + 16}" y="${ly}">N = ${s.modules.toLocaleString('en-US')}</text>`);
  });
  o.push(`<line x1="${left + sizes.length * 130}" x2="${left + sizes.length * 130 + 14}" y1="${ly - 4}" y2="${ly - 4}" stroke="#d00" stroke-width="2" stroke-dasharray="4 2"/>`);
  o.push(`<text x="${left + sizes.length * 130 + 18}" y="${ly}">target ratio</text>`);
  o.push('</svg>');
  return o.join('\n');
}

/**
 * A line chart: `series` is [{ name, color, points: [[x, y], ...] }].
 * @example lineChart({ title: 'heap', xLabel: 'edits', yLabel: 'MiB', series })
 */
export function lineChart({ title, xLabel, yLabel, series }) {
  const pts = series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...pts.map((p) => p[0]));
  const maxY = Math.max(1, ...pts.map((p) => p[1])) * 1.1;
  const [left, top, w, h] = [70, 50, 640, 300];
  const x = (v) => left + (v / maxX) * w;
  const y = (v) => top + h - (v / maxY) * h;
  const o = [`<svg xmlns="http://www.w3.org/2000/svg" width="${left + w + 170}" height="${top + h + 60}" font-family="sans-serif" font-size="12">`];
  o.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  o.push(`<text x="${left + w / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const vy = (maxY * i) / 5;
    o.push(`<line x1="${left}" x2="${left + w}" y1="${y(vy)}" y2="${y(vy)}" stroke="#e4e4e4"/>`);
    o.push(`<text x="${left - 6}" y="${y(vy) + 4}" text-anchor="end">${vy.toFixed(0)}</text>`);
    const vx = (maxX * i) / 5;
    o.push(`<text x="${x(vx)}" y="${top + h + 18}" text-anchor="middle">${vx.toFixed(0)}</text>`);
  }
  o.push(`<text x="${left + w / 2}" y="${top + h + 40}" text-anchor="middle">${esc(xLabel)}</text>`);
  o.push(`<text x="18" y="${top + h / 2}" text-anchor="middle" transform="rotate(-90 18 ${top + h / 2})">${esc(yLabel)}</text>`);
  series.forEach((s, i) => {
    const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    o.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    o.push(`<line x1="${left + w + 14}" x2="${left + w + 34}" y1="${top + 10 + i * 18}" y2="${top + 10 + i * 18}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    o.push(`<text x="${left + w + 38}" y="${top + 14 + i * 18}">${esc(s.name)}</text>`);
  });
  o.push('</svg>');
  return o.join('\n');
}

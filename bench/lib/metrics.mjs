// What the bench reports and the targets it reports against (never asserted: a missed
// target is printed as "not met", and the run still exits 0).
export const METRICS = [
  { key: 'readyMs', label: 'start to ready', unit: 'ms' },
  { key: 'coldLoadMs', label: 'cold page load', unit: 'ms' },
  { key: 'warmReloadMs', label: 'warm reload', unit: 'ms' },
  { key: 'startToLoadedMs', label: 'start to loaded', unit: 'ms' },
  { key: 'hmrLeafMs', label: 'HMR leaf', unit: 'ms' },
  { key: 'hmrCssMs', label: 'HMR CSS', unit: 'ms' },
  { key: 'hmrBubbleMs', label: 'HMR bubble', unit: 'ms' },
  { key: 'rssMb', label: 'server RSS', unit: 'MiB' },
  { key: 'cpuS', label: 'server CPU, whole run', unit: 's' },
];

/**
 * Each target: which metric, at which app size (undefined: every size), and either an
 * absolute bound on devserver's median (`max`) or a bound on the devserver/Vite ratio of
 * medians (`maxRatio`). `reloads` targets look at full reloads during the 5 ms bursts.
 */
export const TARGETS = [
  { id: 'hmr-leaf', text: 'HMR leaf p50 <= 0.7x Vite', metric: 'hmrLeafMs', maxRatio: 0.7 },
  { id: 'hmr-css', text: 'HMR CSS p50 <= 0.7x Vite', metric: 'hmrCssMs', maxRatio: 0.7 },
  { id: 'hmr-bubble', text: 'HMR bubble p50 <= 0.7x Vite', metric: 'hmrBubbleMs', maxRatio: 0.7 },
  { id: 'loaded-1000', text: 'start to loaded <= 0.6 s at N=1,000', metric: 'startToLoadedMs', modules: 1000, max: 600 },
  { id: 'loaded-5000', text: 'start to loaded <= 2.5 s at N=5,000', metric: 'startToLoadedMs', modules: 5000, max: 2500 },
  { id: 'warm-1000', text: 'warm reload <= 0.15 s at N=1,000', metric: 'warmReloadMs', modules: 1000, max: 150 },
  { id: 'warm-5000', text: 'warm reload <= 0.6 s at N=5,000', metric: 'warmReloadMs', modules: 5000, max: 600 },
  { id: 'ready', text: 'start to ready <= 250 ms', metric: 'readyMs', max: 250 },
  { id: 'rss', text: 'server RSS <= 0.6x Vite', metric: 'rssMb', maxRatio: 0.6 },
  { id: 'bursts', text: 'no full reload under 5 ms save bursts', reloads: true },
];

/** How it was measured, printed at the end of every report. */
export const METHOD = [
  'App: generated plain TS (a tree of modules, 8 imports per module, ~35 lines each), one CSS file imported from JS, index.html; the same files for both servers. N counts every module.',
  'Servers: child processes on 127.0.0.1 under the same Node (`--expose-gc --import memProbe.mjs`), devserver via its built CLI, Vite via its CLI with no config file; `node_modules/` (both caches) deleted before every run; each run kills the process group at its end.',
  'Ready: spawn -> first 2xx on `/` (polled every 5 ms); each spawn waits (up to 3 s) until the machine is idle (< 0.3 cores busy), so the new tab\'s start-up is not measured. Cold load: fresh browser context, navigation start -> `window.__rendered` (set by the entry after the whole tree ran). Start to loaded: spawn -> that moment. Warm reload: `page.reload()` in the same context, navigation start -> rendered, 3 per run.',
  'HMR: file write (Date.now() before the write) -> the page first shows the new value (MutationObserver, Date.now()); 10 leaf, 5 CSS and 5 bubbling edits per run after one warm-up edit of each kind; each edit rewrites the file in place with one write() of the same length, at least 150 ms after the previous one.',
  'Bursts: 10 truncating saves (writeFileSync) 5 ms apart, of the leaf, the bubbling leaf and the CSS; "reload" = the page document changed, "stale" = the last saved value never appeared within 10 s.',
  'RSS: resident memory of the server process and its children after the HMR steps. Server CPU: user + system seconds the server used from spawn to the end of the run (for the same user actions; less sensitive to machine load than wall-clock times). Medians and p90 (nearest rank) over all samples of all runs; ratio = devserver median / Vite median.',
];

// Writes the benchmark app: the same plain-TS app for devserver and Vite (index.html, one
// CSS file, a tree of modules, and three HMR probes), so both servers do identical work.
//
//   src/main.ts         imports the CSS, the tree root and the probes, renders, then sets
//                       window.__rendered = performance.now() (every import has run by then)
//   src/tree/gK/mI.ts   the tree: module i imports modules BRANCH*i+1 .. BRANCH*i+BRANCH,
//                       ~35 lines of ordinary TS each (types, a class, a few functions)
//   src/hmr/leaf.ts     self-accepting leaf: writes `leaf:<stamp>` into #leaf
//   src/hmr/boundary.ts self-accepting boundary -> mid.ts (no accept) -> deep.ts (no accept);
//                       editing deep.ts bubbles up to boundary, which writes `bubble:<stamp>`
//   src/style.css       #css-target's color, imported from JS
// The module count N counts every module: main, CSS, the 4 probes and the tree.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const BRANCH = 8;
const GROUP = 100;
/** Modules that are not part of the tree: main, style.css, leaf, boundary, mid, deep. */
const FIXED_MODULES = 6;

const groupDir = (i) => `g${Math.floor(i / GROUP)}`;
const treePath = (i) => `src/tree/${groupDir(i)}/m${i}.ts`;

/** Import specifier from tree module `from` to tree module `to`. */
function treeSpecifier(from, to) {
  return groupDir(from) === groupDir(to) ? `./m${to}.ts` : `../${groupDir(to)}/m${to}.ts`;
}

/** Source of tree module i of `total`: imports its children and folds their values. */
function treeModule(i, total) {
  const children = [];
  for (let c = BRANCH * i + 1; c <= BRANCH * i + BRANCH && c < total; c++) children.push(c);
  const imports = children.map((c) => `import { value as v${c}, Item${c} } from '${treeSpecifier(i, c)}';`);
  const childSum = children.length ? children.map((c) => `v${c}`).join(' + ') : '0';
  const childItems = children.map((c) => `new Item${c}('child-${c}', v${c})`).join(', ');
  return `${imports.join('\n')}
// Generated module ${i} of the benchmark tree.
export interface Shape${i} {
  readonly id: string;
  readonly weight: number;
  tags?: string[];
}

export class Item${i} implements Shape${i} {
  readonly tags: string[] = [];
  constructor(
    readonly id: string,
    readonly weight: number,
  ) {}

  describe(prefix: string = 'item'): string {
    return \`\${prefix}:\${this.id}:\${this.weight.toFixed(2)}\`;
  }
}

type Pair${i} = [name: string, amount: number];

function fold${i}(pairs: Pair${i}[]): number {
  let acc = ${i % 97};
  for (const [name, amount] of pairs) acc += name.length * amount;
  return acc % 100003;
}

const items${i}: Shape${i}[] = [new Item${i}('own-${i}', ${(i % 13) + 1})${childItems ? `, ${childItems}` : ''}];

export const label${i} = items${i}.map((it) => (it instanceof Item${i} ? it.describe() : it.id)).join(',');

export const value: number = fold${i}(items${i}.map((it): Pair${i} => [it.id, it.weight])) + (${childSum});
`;
}

const MAIN = `import './style.css';
import { value, label0 } from './tree/g0/m0.ts';
import './hmr/leaf.ts';
import './hmr/boundary.ts';

const app = document.getElementById('app');
if (app) app.textContent = \`tree value \${value} (\${label0.length} chars)\`;
(window as unknown as { __rendered: number }).__rendered = performance.now();
`;

/** The self-accepting leaf; the bench rewrites it with a new stamp. */
export function leafSource(stamp) {
  return `// HMR probe: a self-accepting leaf.
export const stamp: number = ${stamp};
const el = document.getElementById('leaf');
if (el) el.textContent = 'leaf:' + stamp;
if (import.meta.hot) import.meta.hot.accept();
`;
}

/** The leaf under mid.ts (neither accepts); the bench rewrites it with a new stamp. */
export function deepSource(stamp) {
  return `// HMR probe: a leaf with no accept; its updates bubble through mid.ts to boundary.ts.
export const deepStamp: number = ${stamp};
`;
}

const MID = `// HMR probe: a mid-level module without accept.
import { deepStamp } from './deep.ts';
export const midValue: string = 'bubble:' + deepStamp;
`;

const BOUNDARY = `// HMR probe: the self-accepting boundary above mid.ts.
import { midValue } from './mid.ts';
const el = document.getElementById('bubble');
if (el) el.textContent = midValue;
if (import.meta.hot) import.meta.hot.accept();
`;

/** The stylesheet; the bench rewrites it with colour number `stamp`. */
export function cssSource(stamp) {
  return `/* HMR probe: the bench changes this colour. */
body { font-family: sans-serif; }
#css-target { color: ${cssColor(stamp)}; }
`;
}

/** The computed colour Chromium reports for `cssSource(stamp)`. */
export function cssColor(stamp) {
  return `rgb(${stamp % 256}, ${Math.floor(stamp / 256) % 256}, 200)`;
}

const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>bench app</title>
  </head>
  <body>
    <div id="app"></div>
    <div id="leaf"></div>
    <div id="bubble"></div>
    <div id="css-target">css target</div>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`;

/** Paths (relative to the app root) of the files the bench edits. */
export const PROBES = { leaf: 'src/hmr/leaf.ts', deep: 'src/hmr/deep.ts', css: 'src/style.css' };

/**
 * Writes an app of `modules` modules into `dir` (emptied first).
 * @example generateApp('/tmp/bench/n1000', 1000) // -> { dir, modules: 1000, treeModules: 994 }
 */
export function generateApp(dir, modules) {
  rmSync(dir, { recursive: true, force: true });
  const treeModules = Math.max(1, modules - FIXED_MODULES);
  for (let g = 0; g <= Math.floor((treeModules - 1) / GROUP); g++) mkdirSync(path.join(dir, 'src/tree', `g${g}`), { recursive: true });
  mkdirSync(path.join(dir, 'src/hmr'), { recursive: true });
  const write = (rel, text) => writeFileSync(path.join(dir, rel), text);
  write('package.json', `${JSON.stringify({ name: `bench-app-${modules}`, private: true, type: 'module' }, null, 2)}\n`);
  write('index.html', HTML);
  write('src/main.ts', MAIN);
  write(PROBES.css, cssSource(0));
  write(PROBES.leaf, leafSource(0));
  write(PROBES.deep, deepSource(0));
  write('src/hmr/mid.ts', MID);
  write('src/hmr/boundary.ts', BOUNDARY);
  for (let i = 0; i < treeModules; i++) write(treePath(i), treeModule(i, treeModules));
  return { dir, modules: treeModules + FIXED_MODULES, treeModules };
}

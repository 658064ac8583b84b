#!/usr/bin/env node
// `pnpm lint`: the few house rules a type checker cannot enforce, checked with plain line
// scans so the script needs no dependencies and runs in well under a second.
//   error    console.* in packages/devserver/src/node (outside logger.ts and tests): node code
//            writes through the injected Logger, so embedders and tests control output.
//   error    `: any`, `as any`, `<any>` in packages/*/src: `unknown` plus narrowing instead.
//   warning  source files over 400 lines: split them by job (see shared/style.md).
// Comment lines are skipped, so a header may mention the rules it follows. Exit 1 on errors.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.tmp', '.devserver-cache']);
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;
const MAX_LINES = 400;

const CONSOLE = /\bconsole\s*\.\s*[a-zA-Z]+/;
const ANY = /(:\s*any\b|\bas\s+any\b|<any>)/;

/** Files under `dir` (relative to the repo root) with a source extension. */
function walk(dir) {
  const abs = path.join(ROOT, dir);
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : walk(rel);
    return SOURCE.test(entry.name) ? [rel] : [];
  });
}

function isComment(line) {
  const t = line.trim();
  return t.startsWith('//') || t.startsWith('*') || t.startsWith('/*');
}

const isTest = (file) => file.split(path.sep).includes('__tests__') || /\.test\.[a-z]+$/.test(file);

const packageSrcDirs = readdirSync(path.join(ROOT, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => path.join('packages', d.name, 'src'));
const packageFiles = packageSrcDirs.flatMap(walk);
const nodeDir = path.join('packages', 'devserver', 'src', 'node') + path.sep;

const errors = [];
const warnings = [];

for (const file of packageFiles) {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const checkConsole = file.startsWith(nodeDir) && path.basename(file) !== 'logger.ts' && !isTest(file);
  lines.forEach((line, i) => {
    if (isComment(line)) return;
    const where = `${file}:${i + 1}`;
    if (checkConsole && CONSOLE.test(line)) errors.push(`${where}  console in node code: use the injected Logger`);
    if (ANY.test(line)) errors.push(`${where}  \`any\`: use unknown and narrow, or a precise type`);
  });
}

for (const file of [...packageFiles, ...walk('e2e'), ...walk('scripts'), ...walk('playground')]) {
  const count = readFileSync(path.join(ROOT, file), 'utf8').split('\n').length;
  if (count > MAX_LINES) warnings.push(`${file}  ${count} lines (over ${MAX_LINES}): split it by job`);
}

for (const w of warnings) process.stdout.write(`warning  ${w}\n`);
for (const e of errors) process.stdout.write(`error    ${e}\n`);
process.stdout.write(`lint: ${errors.length} error(s), ${warnings.length} warning(s)\n`);
process.exit(errors.length > 0 ? 1 : 0);

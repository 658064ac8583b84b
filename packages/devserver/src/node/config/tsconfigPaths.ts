/**
 * Turns `compilerOptions.paths` of the root's tsconfig.json (or jsconfig.json) into alias
 * entries, so imports that type-check also resolve: `"@/*": ["src/*"]` becomes
 * `{ find: '@/', replacement: '<root>/src/' }`. Follows `extends` (relative paths and
 * packages); paths are relative to `baseUrl` when set, else to the file that declares them.
 * Only the first target of each pattern is used, and only trailing-`*` patterns map to a
 * prefix alias (others, like `"*"`, cannot be expressed as one and are skipped).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface AliasEntry {
  find: string;
  replacement: string;
}

interface PathsInfo {
  paths?: Record<string, unknown>;
  pathsDir?: string;
  baseUrl?: string;
}

/**
 * Alias entries from the tsconfig/jsconfig in `root`, longest `find` first.
 *
 * @example
 * // tsconfig.json: { "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } }
 * tsconfigAliases('/app') // [{ find: '@/', replacement: '/app/src/' }]
 */
export function tsconfigAliases(root: string, warn: (message: string) => void = () => {}): AliasEntry[] {
  const file = ['tsconfig.json', 'jsconfig.json'].map((n) => path.join(root, n)).find((f) => fs.existsSync(f));
  if (!file) return [];
  let info: PathsInfo;
  try {
    info = readPaths(file, 0);
  } catch (error) {
    warn(`ignoring paths in ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
  if (!info.paths || !info.pathsDir) return [];
  const base = info.baseUrl ?? info.pathsDir;
  const entries: AliasEntry[] = [];
  for (const [pattern, targets] of Object.entries(info.paths)) {
    const target = Array.isArray(targets) ? targets[0] : undefined;
    if (typeof target !== 'string') continue;
    const star = pattern.indexOf('*');
    if (star < 0) {
      entries.push({ find: pattern, replacement: path.resolve(base, target) });
      continue;
    }
    if (star !== pattern.length - 1 || pattern.length === 1 || !target.endsWith('*')) continue;
    const replacement = path.resolve(base, target.slice(0, -1));
    entries.push({ find: pattern.slice(0, -1), replacement: target.endsWith('/*') ? replacement + '/' : replacement });
  }
  return entries.sort((a, b) => b.find.length - a.find.length);
}

function readPaths(file: string, depth: number): PathsInfo {
  if (depth > 10) throw new Error('too many levels of "extends"');
  const json: unknown = parseJsonc(fs.readFileSync(file, 'utf8'));
  if (!json || typeof json !== 'object') return {};
  const config = json as { extends?: unknown; compilerOptions?: { paths?: unknown; baseUrl?: unknown } };
  const parents = typeof config.extends === 'string' ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
  let info: PathsInfo = {};
  for (const parent of parents) {
    if (typeof parent !== 'string') continue;
    const parentFile = resolveExtends(parent, path.dirname(file));
    if (parentFile) info = { ...info, ...definedOnly(readPaths(parentFile, depth + 1)) };
  }
  const options = config.compilerOptions ?? {};
  const dir = path.dirname(file);
  if (typeof options.baseUrl === 'string') info.baseUrl = path.resolve(dir, options.baseUrl);
  if (options.paths && typeof options.paths === 'object') {
    info.paths = options.paths as Record<string, unknown>;
    info.pathsDir = dir;
  }
  return info;
}

function definedOnly(info: PathsInfo): PathsInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined));
}

function resolveExtends(spec: string, fromDir: string): string | undefined {
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const file = path.resolve(fromDir, spec);
    for (const candidate of [file, `${file}.json`]) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    return undefined;
  }
  const require = createRequire(path.join(fromDir, 'noop.js'));
  for (const candidate of [spec, `${spec}.json`, `${spec}/tsconfig.json`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // try the next form
    }
  }
  return undefined;
}

/** JSON with comments and trailing commas (tsconfig's dialect) -> value. */
export function parseJsonc(text: string): unknown {
  return JSON.parse(removeTrailingCommas(stripComments(text)));
}

/** Calls `visit` for each character outside strings; strings are copied unchanged. */
function scan(text: string, visit: (i: number) => { skip: number; emit: string }): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const step = visit(i);
    out += step.emit;
    i += step.skip;
  }
  return out;
}

function stripComments(text: string): string {
  return scan(text, (i) => {
    if (text[i] === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      return { skip: (end < 0 ? text.length : end) - i, emit: '' };
    }
    if (text[i] === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      return { skip: (end < 0 ? text.length : end + 2) - i, emit: ' ' };
    }
    return { skip: 1, emit: text[i] };
  });
}

function removeTrailingCommas(text: string): string {
  return scan(text, (i) => {
    if (text[i] !== ',') return { skip: 1, emit: text[i] };
    let j = i + 1;
    while (j < text.length && /\s/.test(text[j])) j++;
    return { skip: 1, emit: text[j] === '}' || text[j] === ']' ? '' : ',' };
  });
}

/**
 * Looks at a dependency's entry file and writes the small module esbuild bundles for it.
 *
 * Why a generated entry: esbuild turns a CommonJS package into one opaque `export default`,
 * so `import { useState } from 'react'` would fail in the browser. The generated entry
 * re-exports every name cjs-module-lexer finds on `module.exports` (following
 * `module.exports = require('./cjs/react.development.js')` style re-exports), plus the
 * default. An ESM package just gets `export *` and, if it has one, its default.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { init as initLexer, parse as parseCjs } from 'cjs-module-lexer';
import { loadOxcParser } from '../lazyModules.js';
import { errnoCode } from '../errors.js';

export type EntryKind = 'esm' | 'cjs';

export interface EntryAnalysis {
  kind: EntryKind;
  /** ESM: whether the entry has a default export. CommonJS: always true (module.exports). */
  hasDefault: boolean;
  /** CommonJS only: names found on module.exports, sorted, valid export names only. */
  names: string[];
}

/** Re-export chains deeper than this are cut (guards against pathological packages). */
const MAX_REEXPORT_DEPTH = 16;
const EXPORT_NAME = /^[A-Za-z_$][\w$]*$/;

/** Loads the cjs-module-lexer WebAssembly once; call before `analyzeEntry`. */
export function initEntryAnalysis(): Promise<void> {
  return initLexer();
}

/**
 * Decides ESM or CommonJS for a package entry and lists what it exports.
 *
 * @example await analyzeEntry('/app/node_modules/react/index.js') // { kind: 'cjs', hasDefault: true, names: ['Children', ...] }
 */
export async function analyzeEntry(file: string): Promise<EntryAnalysis> {
  const ext = path.extname(file);
  if (ext === '.json') return { kind: 'esm', hasDefault: true, names: [] };
  const source = await fs.readFile(file, 'utf8');
  if (ext === '.mjs' || ext === '.mts') return { kind: 'esm', hasDefault: await esmHasDefault(file, source), names: [] };
  const cjs = lexCjs(source);
  if (cjs === 'esm') return { kind: 'esm', hasDefault: await esmHasDefault(file, source), names: [] };
  const names = new Set<string>();
  await collectCjsNames(file, cjs, names, new Set([file]), 0);
  return { kind: 'cjs', hasDefault: true, names: [...names].filter(isExportableName).sort() };
}

/** cjs-module-lexer result, 'esm' when the file has import/export syntax, null if unparsable. */
function lexCjs(source: string): { exports: string[]; reexports: string[] } | 'esm' | null {
  try {
    return parseCjs(source);
  } catch (error) {
    return errnoCode(error) === 'ERR_LEXER_ESM_SYNTAX' ? 'esm' : null;
  }
}

async function collectCjsNames(
  file: string,
  lexed: { exports: string[]; reexports: string[] } | null,
  names: Set<string>,
  seen: Set<string>,
  depth: number,
): Promise<void> {
  if (!lexed) return;
  for (const name of lexed.exports) names.add(name);
  if (depth >= MAX_REEXPORT_DEPTH) return;
  const require = createRequire(file);
  for (const request of lexed.reexports) {
    let target: string;
    try {
      target = require.resolve(request);
    } catch {
      continue; // esbuild will report a real resolution failure with its location.
    }
    if (seen.has(target) || !/\.(c?js)$/.test(target)) continue;
    seen.add(target);
    const next = lexCjs(await fs.readFile(target, 'utf8'));
    await collectCjsNames(target, next === 'esm' ? null : next, names, seen, depth + 1);
  }
}

async function esmHasDefault(file: string, source: string): Promise<boolean> {
  const result = (await loadOxcParser()).parseSync(file, source, { sourceType: 'module' });
  return result.module.staticExports.some((statement) =>
    statement.entries.some(
      (entry) =>
        entry.exportName.kind === 'Default' || (entry.exportName.kind === 'Name' && entry.exportName.name === 'default'),
    ),
  );
}

function isExportableName(name: string): boolean {
  return EXPORT_NAME.test(name) && name !== 'default' && name !== '__esModule';
}

/**
 * The source of the generated entry for `specifier` (resolved by esbuild from the
 * package's `resolveDir`, so it is the same module every other dependency gets).
 *
 * @example
 * entryCode('react', { kind: 'cjs', hasDefault: true, names: ['useState'] })
 * // import * as __dep from "react";
 * // export default __dep.default;
 * // const { "useState": __n0 } = __dep;
 * // export { __n0 as useState };
 */
export function entryCode(specifier: string, analysis: EntryAnalysis): string {
  const source = JSON.stringify(specifier);
  if (analysis.kind === 'esm') {
    return `export * from ${source};\n${analysis.hasDefault ? `export { default } from ${source};\n` : ''}`;
  }
  // `import * as` gives esbuild's interop namespace: `default` is module.exports, or
  // exports.default for modules marked __esModule (Babel/TypeScript output).
  const lines = [`import * as __dep from ${source};`, 'export default __dep.default;'];
  if (analysis.names.length > 0) {
    // Aliases let names that are reserved words (`delete`, `new`) still be exported.
    const locals = analysis.names.map((name, index) => `${JSON.stringify(name)}: __n${index}`);
    const exported = analysis.names.map((name, index) => `__n${index} as ${name}`);
    lines.push(`const { ${locals.join(', ')} } = __dep;`, `export { ${exported.join(', ')} };`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * File stem for a specifier: `/` becomes `_`, other characters unsafe in a URL path
 * become `_` too.
 *
 * @example depFileStem('@scope/pkg/sub') // '@scope_pkg_sub'
 */
export function depFileStem(specifier: string): string {
  return specifier.replace(/[^\w@.+~-]/g, '_');
}

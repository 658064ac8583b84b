/**
 * Turns one JS/TS/JSX source file into a registry factory (see architecture.md, "Transform").
 *
 * Three oxc passes, chosen by measurement (oxc was 20-40x faster than esbuild's per-file
 * transform on this machine): `transform` strips types and compiles JSX, `parseSync` reads
 * the import/export entries of the result (after type-only imports are gone, so the link
 * check never sees them), and `moduleRunnerTransform` rewrites imports into live namespace
 * reads and exports into getters. moduleRunnerTransform is tagged "only for Vite", so its
 * version is pinned and its output shape is covered by the conformance tests
 * (e2e/conformance.test.ts). Two gaps of its output are closed around it: anonymous default
 * exports (defaultExport.ts) and writes to imported bindings (importBindings.ts).
 */
import { moduleRunnerTransform, transform as oxcTransform } from 'oxc-transform';
import { loadOxcParser } from '../lazyModules.js';
import remapping from '@jridgewell/remapping';
import { DevServerError } from '../errors.js';
import { codeFrame } from './codeFrame.js';
import { hasTopLevelAwait } from './topLevelAwait.js';
import { defaultNameFix, rewriteDefaultExport } from './defaultExport.js';
import { importedLocals, readOnlyImports } from './importBindings.js';

export interface ScriptTransformOptions {
  /** Module id (URL path) the factory is registered under. */
  id: string;
  /** Absolute file path, for error messages and the source map. */
  filename: string;
  lang: 'js' | 'jsx' | 'ts' | 'tsx';
  define?: Record<string, string>;
  /** React Fast Refresh registration (set by the React plugin). */
  jsxRefresh?: boolean;
}

/** Module metadata read from the code, before resolution. */
export interface ScriptModuleInfo {
  /** Static import specifiers, in order. */
  deps: string[];
  /** Literal dynamic import specifiers. */
  dynamicDeps: string[];
  /** Names imported from each static specifier ('*' for a namespace). */
  importedNames: Map<string, Set<string>>;
  exports: string[];
  /** Specifiers of `export * from`. */
  stars: string[];
  tla: boolean;
}

export interface ScriptTransformResult extends ScriptModuleInfo {
  /** The factory body, without the wrapper. */
  body: string;
  /** Source maps of the two passes; composed only when devtools asks (see composeMap). */
  maps: [runner: object, stripped: object];
}

const FACTORY_PARAMS =
  '__vite_ssr_exports__, __vite_ssr_import_meta__, __vite_ssr_import__, __vite_ssr_dynamic_import__, __vite_ssr_exportAll__';

export async function transformScript(
  source: string,
  options: ScriptTransformOptions,
): Promise<ScriptTransformResult> {
  const stripped = await oxcTransform(options.filename, source, {
    lang: options.lang,
    sourceType: 'module',
    sourcemap: true,
    typescript: { onlyRemoveTypeImports: false },
    jsx: { runtime: 'automatic', development: true, refresh: options.jsxRefresh ?? false },
    target: 'es2022',
    define: definesUsedBy(source, options.define),
  });
  throwFirstError(stripped.errors, source, options);

  let code = stripped.code;
  let strippedMap = stripped.map as object;
  const defaultExport = await rewriteDefaultExport(code, options.filename);
  if (defaultExport) {
    code = defaultExport.code;
    strippedMap = remapping([defaultExport.map, strippedMap] as never, () => null) as unknown as object;
  }

  // moduleRunnerTransform has no sourceType option and parses a file without import or
  // export as a script, refusing top-level `for await`; an empty export makes it a module.
  const runner = await moduleRunnerTransform(options.filename, code + '\nexport {};', { sourcemap: true });
  throwFirstError(runner.errors, code, options);
  const info = readModuleInfo(runner.code, runner.dynamicDeps);
  // Only modules that mention `await` at all pay for a parse to look for a top-level one.
  info.tla = code.includes('await') && hasTopLevelAwait((await loadOxcParser()).parseSync(options.filename + '.js', code, { lang: 'js', sourceType: 'module' }).program);

  // One line before the factory's first await: it runs before any other module can call
  // into this one (a cycle), so the default function is named and imports are read-only.
  const prologue = [defaultExport?.hoistedFunction ? defaultNameFix : '', readOnlyImports(importedLocals(code))]
    .filter(Boolean)
    .join(' ');
  const runnerMap = runner.map as { mappings: string };
  if (!prologue) return { ...info, body: runner.code, maps: [runnerMap, strippedMap] };
  return { ...info, body: `${prologue}\n${runner.code}`, maps: [shiftMapOneLine(runnerMap), strippedMap] };
}

/**
 * The `define` entries whose root name occurs in the source, or undefined if none does.
 * oxc runs dead-code elimination whenever `define` is set, even to `{}`: it drops unused
 * top-level declarations (gone from devtools, and from a direct `eval`) and folds
 * `(0, function () {})` into `(function () {})`, which then gets a name. Passing only the
 * entries a module can use keeps every other module as written; a module that does use a
 * define still gets the elimination (a known gap, see e2e/conformance.test.ts).
 */
export function definesUsedBy(source: string, define: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!define) return undefined;
  const used = Object.entries(define).filter(([key]) => source.includes(key.startsWith('import.meta') ? 'import.meta' : key.split('.')[0]));
  return used.length ? Object.fromEntries(used) : undefined;
}

/**
 * Composes the passes' maps (the two of this transform, then any of plugin transforms, last
 * pass first) into one map from the factory body to the original file.
 */
export function composeMap(maps: object[], id: string, source: string): object {
  const map = remapping(maps as never, () => null) as unknown as { sources: string[]; sourcesContent: string[] };
  map.sources = [id];
  map.sourcesContent = [source];
  return map;
}

/**
 * Wraps a factory body into the code string the runtime evaluates. The map is referenced by
 * URL, so it is composed only when devtools asks for it; the wrapper adds one line above the
 * body, which the map endpoint accounts for (see shiftMapOneLine).
 */
export function wrapFactory(body: string, sourceUrl: string, mapUrl?: string): string {
  const code = `(async function (${FACTORY_PARAMS}) {"use strict";\n${body}\n})\n//# sourceURL=${sourceUrl}`;
  return mapUrl ? `${code}\n//# sourceMappingURL=${mapUrl}` : code;
}

export function shiftMapOneLine<T extends { mappings: string }>(map: T): T {
  return { ...map, mappings: ';' + map.mappings };
}

// moduleRunnerTransform's output has a fixed shape (pinned version, covered by tests):
// export getters first, then one hoisted line per import. Reading the metadata from those
// lines costs a fraction of a second parse.
const EXPORT_LINE = /^Object\.defineProperty\(__vite_ssr_exports__, ("(?:[^"\\]|\\.)*"), \{$/gm;
const IMPORT_LINE =
  /^const (__vite_ssr_import_\d+__) = await __vite_ssr_import__\(("(?:[^"\\]|\\.)*")(?:, \{ importedNames: (\[[^\]]*\]) \})?\);$/gm;
const EXPORT_ALL_LINE = /^__vite_ssr_exportAll__\((__vite_ssr_import_\d+__)\);$/gm;

export function readModuleInfo(code: string, dynamicDeps: string[]): ScriptModuleInfo {
  const deps: string[] = [];
  const importedNames = new Map<string, Set<string>>();
  const specByLocal = new Map<string, string>();
  for (const m of code.matchAll(IMPORT_LINE)) {
    const spec = JSON.parse(m[2]) as string;
    specByLocal.set(m[1], spec);
    let names = importedNames.get(spec);
    if (!names) {
      names = new Set();
      importedNames.set(spec, names);
      deps.push(spec);
    }
    if (m[3]) for (const name of JSON.parse(m[3]) as string[]) names.add(name);
    // No names: a namespace import if the binding is read anywhere, else a bare
    // side-effect import, which uses no export (acceptExports relies on the difference).
    else if (code.indexOf(m[1], m.index! + m[0].length) !== -1) names.add('*');
  }
  const exports = [...code.matchAll(EXPORT_LINE)].map((m) => JSON.parse(m[1]) as string);
  const stars = [...code.matchAll(EXPORT_ALL_LINE)].map((m) => specByLocal.get(m[1])!).filter(Boolean);
  return { deps, dynamicDeps: [...dynamicDeps], importedNames, exports, stars, tla: false };
}

interface OxcDiagnostic {
  message: string;
  labels?: Array<{ start: number; end: number }>;
  helpMessage?: string | null;
}

function throwFirstError(errors: OxcDiagnostic[], source: string, options: ScriptTransformOptions): void {
  const first = errors[0];
  if (!first) return;
  const offset = first.labels?.[0]?.start ?? 0;
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  throw new DevServerError('ERR_SYNTAX', first.message, {
    id: options.id,
    file: options.filename,
    loc: { line, column },
    frame: codeFrame(source, line, column),
    hint: first.helpMessage ?? undefined,
  });
}

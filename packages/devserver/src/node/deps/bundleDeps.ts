/**
 * One esbuild build over every known dependency: ESM output with code splitting, so code
 * two dependencies share (React, used by react, react-dom/client and
 * react/jsx-dev-runtime) lands in one chunk and exists once in the page. Output stays in
 * memory (`write: false`); the caller decides what to serve and what to cache on disk.
 *
 * esbuild makes every entry import the chunk holding its interop helpers (`__toESM`,
 * `__commonJS`...), and that chunk's name changes whenever the set of helpers in use
 * changes. Then adding any CommonJS dependency would change an unrelated, already served
 * ESM entry and force a page reload. A hidden extra entry that uses all the usual helpers
 * keeps that chunk identical from build to build.
 *
 * Node built-ins that a dependency imports (usually behind a `typeof window` check) become
 * empty modules instead of failing the whole build; they are reported so the optimizer can
 * warn once.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { Message, Plugin } from 'esbuild';
import { loadEsbuild } from '../lazyModules.js';
import { findPackageDir } from './resolveDep.js';

/** Namespace and prefix of the generated entry modules. */
const ENTRY_NAMESPACE = 'devserver-dep';
const BUILTIN_NAMESPACE = 'devserver-browser-external';
const RUNTIME_NAMESPACE = 'devserver-runtime';
/** Output stem of the hidden entry (npm names never start with `_`, so no clash). */
const RUNTIME_STEM = '_devserver_runtime';
/** Tiny modules whose bundling needs each interop helper once. */
const RUNTIME_MODULES: Record<string, string> = {
  entry: "import * as cjs from 'cjs';\nexport * from 'cjs2';\nimport * as esm from 'esm';\nexport { cjs, esm };\n",
  cjs: "module.exports = require('esm2');\nif (globalThis.__never) require(globalThis.__never);\n",
  cjs2: 'module.exports = {};\n',
  esm: 'export const a = 1;\n',
  esm2: 'export const b = 1;\n',
};
/** Matched on esbuild's side, so ordinary imports never cross into JS. */
const BUILTIN_FILTER = new RegExp(
  `^(?:node:.*|(?:${builtinModules.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(?:/.*)?)$`,
);

export interface BundleInput {
  specifier: string;
  /** Output file name without `.js`. */
  stem: string;
  /** Folder esbuild resolves the specifier from. */
  resolveDir: string;
  /** Generated entry source (see depEntry.ts). */
  code: string;
}

export interface BundleOptions {
  root: string;
  /** Where chunk paths are computed from; nothing is written. */
  outdir: string;
  define: Record<string, string>;
}

export type BundleResult =
  | {
      ok: true;
      /** Output file name (`react.js`, `chunk-AB12CD34.js`) -> code. */
      files: Map<string, string>;
      /** Specifier -> export names of its entry output, sorted. */
      exports: Map<string, string[]>;
      /** `builtin imported by file` notes, for a warning. */
      externalized: string[];
    }
  | { ok: false; errors: BundleError[] };

export interface BundleError {
  text: string;
  /** Absolute path, or `devserver-dep:<specifier>` for a generated entry. */
  file?: string;
  line?: number;
  column?: number;
}

/**
 * Bundles all inputs in one build.
 *
 * @example await bundleDeps([{ specifier: 'react', stem: 'react', resolveDir: '/app', code }], { root, outdir, define })
 */
export async function bundleDeps(inputs: BundleInput[], options: BundleOptions): Promise<BundleResult> {
  const bySpecifier = new Map(inputs.map((input) => [input.specifier, input]));
  const externalized = new Set<string>();
  try {
    const result = await (await loadEsbuild()).build({
      absWorkingDir: options.root,
      entryPoints: [
        { in: `${RUNTIME_NAMESPACE}:entry`, out: RUNTIME_STEM },
        ...inputs.map((input) => ({ in: `${ENTRY_NAMESPACE}:${input.specifier}`, out: input.stem })),
      ],
      outdir: options.outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      // Setting conditions drops esbuild's implicit `module`; keep it next to `development`.
      conditions: ['development', 'module'],
      define: options.define,
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      write: false,
      metafile: true,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'silent',
      plugins: [entryPlugin(bySpecifier), runtimePlugin(), builtinPlugin(externalized)],
    });
    const files = new Map<string, string>();
    for (const file of result.outputFiles) files.set(outputName(options.outdir, file.path), file.text);
    files.delete(`${RUNTIME_STEM}.js`); // nothing imports it; only its helper chunk matters
    const exports = new Map<string, string[]>();
    for (const [key, output] of Object.entries(result.metafile.outputs)) {
      if (!output.entryPoint?.startsWith(`${ENTRY_NAMESPACE}:`)) continue;
      if (!files.has(outputName(options.outdir, path.resolve(options.root, key)))) continue;
      exports.set(output.entryPoint.slice(ENTRY_NAMESPACE.length + 1), [...output.exports].sort());
    }
    return { ok: true, files, exports, externalized: [...externalized].sort() };
  } catch (error) {
    return { ok: false, errors: toBundleErrors(error, options.root) };
  }
}

function outputName(outdir: string, file: string): string {
  return path.relative(outdir, file).split(path.sep).join('/');
}

function entryPlugin(bySpecifier: Map<string, BundleInput>): Plugin {
  const prefix = `${ENTRY_NAMESPACE}:`;
  return {
    name: 'devserver:dep-entries',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^devserver-dep:/ }, (args) =>
        args.kind === 'entry-point' ? { path: args.path.slice(prefix.length), namespace: ENTRY_NAMESPACE } : undefined,
      );
      pluginBuild.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => {
        const input = bySpecifier.get(args.path);
        if (!input) return { errors: [{ text: `unknown dependency entry "${args.path}"` }] };
        return { contents: input.code, resolveDir: input.resolveDir, loader: 'js' };
      });
    },
  };
}

/** The hidden entry's modules (see the file header). */
function runtimePlugin(): Plugin {
  return {
    name: 'devserver:dep-runtime',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^devserver-runtime:/ }, (args) => ({
        path: args.path.slice(RUNTIME_NAMESPACE.length + 1),
        namespace: RUNTIME_NAMESPACE,
      }));
      pluginBuild.onResolve({ filter: /.*/, namespace: RUNTIME_NAMESPACE }, (args) => ({
        path: args.path,
        namespace: RUNTIME_NAMESPACE,
      }));
      pluginBuild.onLoad({ filter: /.*/, namespace: RUNTIME_NAMESPACE }, (args) => ({
        contents: RUNTIME_MODULES[args.path] ?? '',
        loader: 'js',
      }));
    },
  };
}

/** `fs`, `node:path`...: an installed package of that name (e.g. `events`) wins. */
function builtinPlugin(externalized: Set<string>): Plugin {
  return {
    name: 'devserver:browser-external',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: BUILTIN_FILTER }, async (args) => {
        if (!args.path.startsWith('node:') && (await findPackageDir(args.path.split('/')[0] ?? '', args.resolveDir))) {
          return undefined;
        }
        externalized.add(`"${args.path}" imported by ${args.importer}`);
        return { path: args.path, namespace: BUILTIN_NAMESPACE };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: BUILTIN_NAMESPACE }, () => ({
        contents: 'module.exports = {};',
        loader: 'js',
      }));
    },
  };
}

function toBundleErrors(error: unknown, root: string): BundleError[] {
  if (error && typeof error === 'object' && 'errors' in error && Array.isArray(error.errors)) {
    const messages = error.errors as Message[];
    if (messages.length > 0) {
      return messages.map((message) => {
        const loc = message.location;
        const file = loc?.file
          ? loc.file.startsWith(`${ENTRY_NAMESPACE}:`)
            ? loc.file
            : path.resolve(root, loc.file)
          : undefined;
        return { text: message.text, file, line: loc?.line, column: loc?.column };
      });
    }
  }
  return [{ text: error instanceof Error ? error.message : String(error) }];
}

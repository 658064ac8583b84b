/**
 * CSS modules (`*.module.css`): esbuild's `local-css` loader scopes the class names and
 * gives the class-name map. We bundle a virtual entry `export { default } from '<file>'`
 * to an IIFE, so one build yields both the scoped CSS (with `@import`s and `composes ...
 * from` files inlined) and the map (read by running the generated object literal in an
 * empty VM context: esbuild wrote that code from CSS alone, no user JS is in it).
 *
 * Scoped names are `<file>_<hash of its path>_<class>`: esbuild only makes names unique
 * within one build, and each module is built on its own, so two `button.module.css` in
 * different folders would otherwise both produce `button_primary`. The hash is of the
 * absolute path, so a file composed from gets the same names in every build that reads it.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import type { Plugin } from 'esbuild';
import { loadEsbuild } from '../lazyModules.js';
import { cssError, cssUrlPlugin } from './cssTransform.js';

export interface CssModuleResult {
  /** The scoped CSS, composed-from and `@import`ed files included. */
  css: string;
  /** Class name as written -> scoped name(s), space separated (composes adds more). */
  classes: Record<string, string>;
  /** Absolute files the module was built from, itself included. */
  files: string[];
}

const NAMESPACE = 'devserver-css-module';
const MODULE_CSS = /\.module\.css$/i;
const ENTRY = '__devserver_css_module_entry.js';

/** `<dir>/<name>_<hash>.module.css`: esbuild derives the local-name prefix from the base. */
function scopedName(file: string, workDir: string): string {
  const tag = createHash('sha1').update(file).digest('hex').slice(0, 5);
  const base = path.basename(file).replace(MODULE_CSS, '');
  const rel = path.relative(workDir, path.join(path.dirname(file), `${base}_${tag}.module.css`));
  return rel.split(path.sep).join('/');
}

/** Loads relative `*.module.css` files under a per-path name (see the header). */
function scopedNamesPlugin(workDir: string, files: Map<string, string>): Plugin {
  return {
    name: 'devserver-css-module-names',
    setup(b) {
      b.onResolve({ filter: MODULE_CSS }, (args) => {
        if (args.kind === 'url-token' || !/^\.{0,2}\//.test(args.path)) return undefined;
        const file = path.resolve(args.resolveDir, args.path);
        if (!existsSync(file)) return undefined; // esbuild reports "Could not resolve"
        const name = scopedName(file, workDir);
        files.set(name, file);
        return { path: name, namespace: NAMESPACE };
      });
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const file = files.get(args.path)!;
        return { contents: await fs.readFile(file, 'utf8'), loader: 'local-css', resolveDir: path.dirname(file), watchFiles: [file] };
      });
    },
  };
}

/**
 * Builds one CSS module.
 * @example
 * const { css, classes } = await bundleCssModule('/app/src/a.module.css', '/src/a.module.css');
 * classes.title; // 'a_1f2e3_title'
 */
export async function bundleCssModule(file: string, id: string): Promise<CssModuleResult> {
  const workDir = path.dirname(file);
  const scoped = new Map<string, string>();
  const fileOf = (input: string): string => {
    const name = input.startsWith(`${NAMESPACE}:`) ? input.slice(NAMESPACE.length + 1) : input;
    return scoped.get(name) ?? path.resolve(workDir, name);
  };
  try {
    const result = await (await loadEsbuild()).build({
      stdin: { contents: `export { default } from ${JSON.stringify('./' + path.basename(file))};`, resolveDir: workDir, sourcefile: ENTRY, loader: 'js' },
      bundle: true,
      write: false,
      metafile: true,
      format: 'iife',
      globalName: '__devserver_css_module',
      logLevel: 'silent',
      outdir: workDir,
      absWorkingDir: workDir,
      plugins: [cssUrlPlugin(file, id), scopedNamesPlugin(workDir, scoped)],
    });
    const js = result.outputFiles.find((out) => out.path.endsWith('.js'))?.text ?? '';
    const css = result.outputFiles.find((out) => out.path.endsWith('.css'))?.text ?? '';
    const files = Object.keys(result.metafile.inputs).filter((input) => input !== ENTRY).map(fileOf);
    return { css, classes: readClasses(js), files };
  } catch (error) {
    throw cssError(error, file, id, fileOf);
  }
}

/** The class map from esbuild's IIFE (`var __devserver_css_module = (() => {...})()`). */
function readClasses(js: string): Record<string, string> {
  const ns = vm.runInNewContext(`${js};__devserver_css_module`, Object.create(null), { timeout: 1000 }) as {
    default?: unknown;
  };
  const classes: Record<string, string> = {};
  if (ns.default && typeof ns.default === 'object') {
    for (const [name, value] of Object.entries(ns.default)) if (typeof value === 'string') classes[name] = value;
  }
  return classes;
}

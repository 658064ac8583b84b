/**
 * Stylesheets, bundled by esbuild so that `@import`ed files are inlined; the files it read
 * are returned so that editing an imported file updates its parent. `url()` references
 * are not copied: a relative one is rewritten to the root-absolute URL of the file it
 * points at (served by the static middleware), because the CSS may end up in a `<style>`
 * element, where a relative URL would resolve against the page instead of the stylesheet.
 * CSS modules (`*.module.css`) reuse these pieces: see cssModules.ts.
 */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Message, Plugin } from 'esbuild';
import { loadEsbuild } from '../lazyModules.js';
import { DevServerError } from '../errors.js';
import { codeFrame } from './codeFrame.js';

export interface CssResult {
  css: string;
  /** Absolute files the stylesheet was built from, itself included. */
  files: string[];
}

/**
 * Bundles one stylesheet.
 * @example
 * const { css, files } = await bundleCss('/app/src/a.css', '/src/a.css');
 */
export async function bundleCss(file: string, id: string): Promise<CssResult> {
  // Most saves are of a stylesheet with nothing to resolve: esbuild's transform still
  // checks the syntax, at half the cost of a build (this is on the HMR path).
  const text = await readFile(file, 'utf8');
  if (!/@import|url\(/i.test(text)) {
    try {
      const result = await (await loadEsbuild()).transform(text, { loader: 'css', logLevel: 'silent', sourcefile: file });
      return { css: result.code, files: [file] };
    } catch (error) {
      throw cssError(error, file, id, () => file);
    }
  }
  try {
    const result = await (await loadEsbuild()).build({
      entryPoints: [file],
      bundle: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: path.dirname(file),
      absWorkingDir: path.dirname(file),
      plugins: [cssUrlPlugin(file, id)],
    });
    const files = Object.keys(result.metafile.inputs).map((input) => path.resolve(path.dirname(file), input));
    const css = result.outputFiles.find((out) => out.path.endsWith('.css'))?.text ?? '';
    return { css, files };
  } catch (error) {
    throw cssError(error, file, id);
  }
}

const NOT_RELATIVE = /^(?:[a-z][a-z0-9+.-]*:|\/|#)/i;

/**
 * Keeps `url()` tokens external; a relative one becomes the URL path of its target when the
 * target lies under the root the entry's id is served from (else it is left as written).
 */
export function cssUrlPlugin(file: string, id: string): Plugin {
  const idPath = id.split('?')[0];
  const suffix = idPath.split('/').join(path.sep);
  const root = file.endsWith(suffix) && !idPath.startsWith('/@') ? file.slice(0, file.length - suffix.length) : null;
  return {
    name: 'devserver-css-urls',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind !== 'url-token') return undefined;
        if (root === null || NOT_RELATIVE.test(args.path) || !args.resolveDir) return { path: args.path, external: true };
        const target = path.resolve(args.resolveDir, args.path);
        const rel = path.relative(root, target);
        if (rel.startsWith('..') || path.isAbsolute(rel)) return { path: args.path, external: true };
        return { path: '/' + rel.split(path.sep).join('/'), external: true };
      });
    },
  };
}

/**
 * esbuild's first error as a DevServerError with file, location and frame.
 * @param fileOf maps a file name as esbuild reports it to an absolute path
 */
export function cssError(error: unknown, file: string, id: string, fileOf?: (reported: string) => string): unknown {
  const errors = (error as { errors?: Message[] }).errors;
  const first = errors?.[0];
  if (!first) return error;
  const loc = first.location;
  const reported = loc?.file ? (fileOf?.(loc.file) ?? path.resolve(path.dirname(file), loc.file)) : file;
  return new DevServerError('ERR_SYNTAX', first.text, {
    id,
    file: reported,
    loc: loc ? { line: loc.line, column: loc.column + 1 } : undefined,
    frame: loc ? codeFrame(loc.lineText, 1, loc.column + 1, 0).replace(/^> 1 /, `> ${loc.line} `) : undefined,
  });
}

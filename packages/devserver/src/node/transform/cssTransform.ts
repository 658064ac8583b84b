/**
 * Stylesheets, bundled by esbuild so that `@import`ed files are inlined; the files it read
 * are returned so that editing an imported file updates its parent. `url()` references
 * are left as written (served by the static middleware) rather than copied.
 */
import path from 'node:path';
import { build, type Message } from 'esbuild';
import { DevServerError } from '../errors.js';
import { codeFrame } from './codeFrame.js';

export interface CssResult {
  css: string;
  /** Absolute files the stylesheet was built from, itself included. */
  files: string[];
}

export async function bundleCss(file: string, id: string): Promise<CssResult> {
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      outdir: path.dirname(file),
      absWorkingDir: path.dirname(file),
      plugins: [
        {
          name: 'devserver-css-urls',
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'url-token' ? { path: args.path, external: true } : undefined));
          },
        },
      ],
    });
    const files = Object.keys(result.metafile.inputs).map((input) => path.resolve(path.dirname(file), input));
    const css = result.outputFiles.find((out) => out.path.endsWith('.css'))?.text ?? '';
    return { css, files };
  } catch (error) {
    throw cssError(error, file, id);
  }
}

function cssError(error: unknown, file: string, id: string): unknown {
  const errors = (error as { errors?: Message[] }).errors;
  const first = errors?.[0];
  if (!first) return error;
  const loc = first.location;
  return new DevServerError('ERR_SYNTAX', first.text, {
    id,
    file: loc?.file ? path.resolve(path.dirname(file), loc.file) : file,
    loc: loc ? { line: loc.line, column: loc.column + 1 } : undefined,
    frame: loc ? codeFrame(loc.lineText, 1, loc.column + 1, 0).replace(/^> 1 /, `> ${loc.line} `) : undefined,
  });
}

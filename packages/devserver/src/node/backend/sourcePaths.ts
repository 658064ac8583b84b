/**
 * esbuild plugin: `import.meta.url` / `dirname` / `filename`, `__dirname` and `__filename`
 * keep meaning the source file, not the bundle in the cache dir. A backend that reads
 * `new URL('./data.json', import.meta.url)` or `path.join(__dirname, 'public')` must find
 * its files where they are (and `__dirname` does not exist at all in an ES module).
 *
 * How: a global `define` turns each of those into an identifier (`__devserver_dirname`...),
 * and each source file that mentions one gets that identifier declared with its own path,
 * prepended on its first line (so only line 1's columns move in the source map). esbuild
 * binds a defined identifier in the scope where it is used, so every module sees its own
 * values, and a module that declares its own `__dirname` keeps it (define skips bound names).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader, Plugin } from 'esbuild';

const NAMES = {
  'import.meta.url': '__devserver_meta_url',
  'import.meta.dirname': '__devserver_meta_dirname',
  'import.meta.filename': '__devserver_meta_filename',
  __dirname: '__devserver_dirname',
  __filename: '__devserver_filename',
} as const;

/** The `define` entries to pass to the build with the plugin. */
export const SOURCE_PATH_DEFINES: Record<string, string> = { ...NAMES };

const MENTIONS = /import\s*\.\s*meta|__dirname|__filename/;
const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.jsx': 'jsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js' };

/** The declarations prepended to `file` (one line, no newline). */
export function sourcePathPrelude(file: string): string {
  const values: Record<string, string> = {
    [NAMES['import.meta.url']]: pathToFileURL(file).href,
    [NAMES['import.meta.dirname']]: path.dirname(file),
    [NAMES['import.meta.filename']]: file,
    [NAMES.__dirname]: path.dirname(file),
    [NAMES.__filename]: file,
  };
  return `var ${Object.entries(values).map(([name, value]) => `${name} = ${JSON.stringify(value)}`).join(', ')};`;
}

/** `source` with the prelude on its first line (after a `#!` line, which must stay first). */
export function withSourcePaths(source: string, file: string): string {
  const prelude = sourcePathPrelude(file);
  if (!source.startsWith('#!')) return prelude + source;
  const end = source.indexOf('\n');
  return end < 0 ? source : `${source.slice(0, end + 1)}${prelude}${source.slice(end + 1)}`;
}

export function sourcePathsPlugin(): Plugin {
  return {
    name: 'devserver-backend-source-paths',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const loader = LOADERS[path.extname(args.path)];
        if (!loader || args.namespace !== 'file') return undefined;
        const source = await fs.readFile(args.path, 'utf8');
        if (!MENTIONS.test(source)) return { contents: source, loader };
        return { contents: withSourcePaths(source, args.path), loader };
      });
    },
  };
}

/**
 * Builds the backend with esbuild: the entry bundled for Node as one ES module (dependencies
 * external, see nodeExternals.ts; source paths kept, see sourcePaths.ts), with an inline
 * source map so stack traces name the original files. Incremental (one esbuild context).
 * Each build is written to its own file (`server-<n>.mjs`): a process that is still
 * draining, or a crashed one being restarted, keeps the code it was started with.
 * The metafile says which files the backend is made of; the change router uses it.
 * Also builds the bootstrap every backend process preloads (backendBootstrap.ts).
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as esbuild from 'esbuild';
import { loadEsbuild } from '../lazyModules.js';
import { nodeExternalsPlugin } from './nodeExternals.js';
import { SOURCE_PATH_DEFINES, sourcePathsPlugin } from './sourcePaths.js';

export type BuildOutcome = { ok: true; file: string; ms: number } | { ok: false; error: unknown };

export interface BackendBuilder {
  /** Builds the entry into a new file. Never throws: a failure is `{ ok: false, error }`. */
  build(): Promise<BuildOutcome>;
  /** Absolute paths of the files the last successful build read. */
  readonly inputs: ReadonlySet<string>;
  /** Deletes built files other than `keep` (the ones live processes may still need). */
  prune(keep: Iterable<string>): Promise<void>;
  dispose(): Promise<void>;
}

export interface BackendBuilderOptions {
  entry: string;
  root: string;
  outDir: string;
}

// ES module output, but dependencies and the app may still call require().
const BANNER = "import { createRequire as __devserverCreateRequire } from 'node:module'; const require = __devserverCreateRequire(import.meta.url);";

export function createBackendBuilder(options: BackendBuilderOptions): BackendBuilder {
  let context: esbuild.BuildContext<{ write: false; metafile: true }> | null = null;
  let inputs = new Set<string>();
  let count = 0;
  const written = new Set<string>();

  async function getContext() {
    context ??= await (await loadEsbuild()).context({
      entryPoints: [options.entry],
      absWorkingDir: options.root,
      outfile: path.join(options.outDir, 'server.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      sourcemap: 'inline',
      write: false,
      metafile: true,
      logLevel: 'silent',
      banner: { js: BANNER },
      define: SOURCE_PATH_DEFINES,
      plugins: [nodeExternalsPlugin(), sourcePathsPlugin()],
    });
    return context;
  }

  return {
    get inputs() {
      return inputs;
    },
    async build() {
      const started = performance.now();
      try {
        const result = await (await getContext()).rebuild();
        const output = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
        if (!output) throw new Error('esbuild wrote no .mjs file');
        inputs = new Set(Object.keys(result.metafile.inputs).map((key) => path.resolve(options.root, key)));
        const file = path.join(options.outDir, `server-${++count}.mjs`);
        await fs.mkdir(options.outDir, { recursive: true });
        await fs.writeFile(file, output.contents);
        written.add(file);
        return { ok: true, file, ms: performance.now() - started };
      } catch (error) {
        return { ok: false, error };
      }
    },
    async prune(keep) {
      const kept = new Set(keep);
      for (const file of [...written]) {
        if (kept.has(file)) continue;
        written.delete(file);
        await fs.rm(file, { force: true });
      }
    },
    async dispose() {
      await context?.dispose();
      context = null;
      await Promise.all([...written].map((file) => fs.rm(file, { force: true })));
      written.clear();
    },
  };
}

/**
 * Bundles backendBootstrap.ts into `outDir/bootstrap.mjs` and returns its path. The source
 * is found next to this module (running from src) or in the package's shipped src folder
 * (running from dist/node).
 */
export async function buildBootstrap(outDir: string): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'backendBootstrap.ts'), path.resolve(here, '../../src/node/backend/backendBootstrap.ts')];
  const source = candidates.find((file) => existsSync(file));
  if (!source) throw new Error(`devserver: backendBootstrap.ts not found (looked in ${candidates.join(', ')})`);
  const outfile = path.join(outDir, 'bootstrap.mjs');
  await (await loadEsbuild()).build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    logLevel: 'silent',
  });
  return outfile;
}

// Builds the Node side (one ESM file per entry, dependencies external) and the browser
// runtime (one self-contained ES module) with esbuild. Typechecking is `pnpm typecheck`.
import { build } from 'esbuild';
import { rmSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await Promise.all([
  build({
    entryPoints: ['src/node/index.ts', 'src/node/cli.ts'],
    outdir: 'dist/node',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    sourcemap: true,
    external: Object.keys(pkg.dependencies),
    logLevel: 'warning',
  }),
  build({
    entryPoints: { client: 'src/client/main.ts' },
    outdir: 'dist/client',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: 'inline',
    logLevel: 'warning',
  }),
]);

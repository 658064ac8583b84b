// Builds the plugin (Node, one ESM file, dependencies external) and the browser refresh
// runtime (one self-contained ES module with react-refresh's development runtime bundled
// in, served at /@react-refresh). Typechecking is `pnpm typecheck`.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await Promise.all([
  build({
    entryPoints: { index: 'src/node/index.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    packages: 'external',
    logLevel: 'warning',
  }),
  build({
    entryPoints: { 'refresh-runtime': 'src/client/refreshRuntime.ts' },
    outdir: 'dist/client',
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"development"' },
    sourcemap: 'inline',
    logLevel: 'warning',
  }),
]);

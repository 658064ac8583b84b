// Builds the plugin (Node, one ESM file, dependencies external). The state keeper
// (src/client/stateKeeper.js) is plain JS served as is, so it needs no build.
// Typechecking is `pnpm typecheck`.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { index: 'src/node/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
});

import { it } from 'vitest';
import { createDepOptimizer } from '../depOptimizer.js';
import { createFixture, recordingLogger } from './helpers.js';
it('dbg', async () => {
  const f = await createFixture();
  const deps = createDepOptimizer({ root: f.root, cacheDir: f.cacheDir, logger: recordingLogger() });
  const esm = await deps.resolve('esm-pkg', f.importer);
  console.log('BEFORE\n' + (await deps.load(esm.url))?.code);
  await deps.resolve('cjs-pkg', f.importer);
  console.log('AFTER\n' + (await deps.load(esm.url))?.code);
  console.log('CJS\n' + (await deps.load('/@deps/cjs-pkg.js'))?.code);
  await deps.close();
});

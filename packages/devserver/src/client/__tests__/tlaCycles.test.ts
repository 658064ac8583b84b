/**
 * Top-level await combined with cycles and shared async dependencies, compared with native
 * ESM: the runtime must not deadlock and must keep the engine's order.
 */
import { describe, expect, it } from 'vitest';
import type { Files } from './fakeServer.js';
import { createHarness } from './harness.js';
import { runNative } from './native.js';

async function compare(files: Files) {
  const native = runNative(files, '/main.js');
  const h = createHarness(files);
  const error = await h.runtime.load('/main.js').then(
    () => undefined,
    (e: Error) => ({ name: e.name, message: e.message }),
  );
  expect(error).toEqual(native.error);
  expect(h.logs).toEqual(native.logs);
  return native.logs;
}

describe('TLA with cycles', () => {
  it('a cycle with an async module', async () => {
    await compare({
      '/main.js': `import './a.js'; import './b.js'; log('main');`,
      '/a.js': `import './b.js'; log('a1'); await 0; log('a2');`,
      '/b.js': `import './a.js'; log('b');`,
    });
  });

  it('two branches sharing an async dependency', async () => {
    const logs = await compare({
      '/main.js': `import './l.js'; import './r.js'; log('main');`,
      '/l.js': `import './shared.js'; log('l');`,
      '/r.js': `import './shared.js'; log('r');`,
      '/shared.js': `log('s1'); await new Promise((r) => setTimeout(r, 5)); log('s2');`,
    });
    expect(logs).toEqual(['s1', 's2', 'l', 'r', 'main']);
  });

  it('an async module whose branch is entered again through a sibling cycle', async () => {
    await compare({
      '/main.js': `import './a.js'; import './c.js'; log('main');`,
      '/a.js': `import './b.js'; log('a'); await new Promise((r) => setTimeout(r, 5)); log('a done');`,
      '/b.js': `import './c.js'; log('b');`,
      '/c.js': `import './b.js'; log('c');`,
    });
  });

  it('a rejected async module fails its importers with the same error', async () => {
    await compare({
      '/main.js': `import './ok.js'; import './bad.js'; log('main');`,
      '/ok.js': `log('ok');`,
      '/bad.js': `await 0; log('bad'); throw new Error('late failure');`,
    });
  });
});

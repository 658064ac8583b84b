/**
 * accept() specifiers are resolved like imports (hmr-spec.md section 2): `accept('./dep')`
 * names the module imported as `'./dep.ts'`, the way the server's resolver found it
 * (extension, `index` file, `.js` for `.ts`). Found by playground/hmr's src/deps/spelling.ts:
 * the spelled-differently accept made no boundary and the page reloaded.
 */
import { describe, expect, it } from 'vitest';
import type { ModulePayload } from '../../shared/protocol.js';
import { importedIdFor } from '../specifiers.js';
import { createHarness } from './harness.js';

function payload(deps: Record<string, string>, dynamicDeps: Record<string, string> = {}): ModulePayload {
  return { id: '/src/main.ts', hash: 'h', deps, dynamicDeps, imports: [], exports: [], stars: [], tla: false, code: '' };
}

describe('importedIdFor', () => {
  it('matches the import the specifier names as the server resolved it', () => {
    const p = payload(
      { './dep.ts': '/src/dep.ts', './lib': '/src/lib/index.tsx', './util.js': '/src/util.ts', './data.json': '/src/data.json' },
      { './lazy.ts': '/src/lazy.ts' },
    );
    expect(importedIdFor(p, '/src/dep.ts')).toBe('/src/dep.ts');
    expect(importedIdFor(p, '/src/dep')).toBe('/src/dep.ts');
    expect(importedIdFor(p, '/src/lib')).toBe('/src/lib/index.tsx');
    expect(importedIdFor(p, '/src/lib/')).toBe('/src/lib/index.tsx');
    expect(importedIdFor(p, '/src/util.js')).toBe('/src/util.ts');
    expect(importedIdFor(p, '/src/data')).toBe('/src/data.json');
    expect(importedIdFor(p, '/src/lazy')).toBe('/src/lazy.ts');
    // Nothing imported matches: the id stays as resolved (no boundary, as before).
    expect(importedIdFor(p, '/src/other')).toBe('/src/other');
  });
});

describe('accept with a specifier spelled unlike the import', () => {
  it('makes the importer the boundary of that dependency', async () => {
    const h = createHarness({
      '/main.js': `import { v } from './dep.js'; log('main ' + v);
        import.meta.hot.accept('./dep', (mod) => log('main got ' + mod.v));`,
      '/dep.js': `export const v = 1;`,
    });
    await h.runtime.load('/main.js');
    await h.update({ '/dep.js': `export const v = 2;` });
    expect(h.logs).toEqual(['main 1', 'main got 2']);
    expect(h.reloads).toBe(0);
  });
});

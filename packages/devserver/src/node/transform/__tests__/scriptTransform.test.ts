/**
 * Pins the shape of oxc's moduleRunnerTransform output that the metadata reader and the
 * runtime depend on (the transform is tagged "only for Vite" and its version is pinned):
 * if an upgrade changes the shape, these fail before any page does.
 */
import { describe, expect, it } from 'vitest';
import { transformScript, wrapFactory, composeMap } from '../scriptTransform.js';
import { codeFrame } from '../codeFrame.js';

const opts = (lang: 'ts' | 'tsx' | 'js' = 'ts') => ({ id: '/src/a.' + lang, filename: '/root/src/a.' + lang, lang });

describe('transformScript', () => {
  it('reads imports with their names, exports, stars and dynamic imports', async () => {
    const r = await transformScript(
      `import d, { a as b, c } from './dep';
       import * as ns from './ns';
       import './side';
       import type { T } from './types';
       export * from './star';
       export { q as w } from './q';
       export let count: number = 1;
       export default class {}
       export function use(t: T) { return d + b + c + ns.x; }
       import('./lazy');`,
      opts(),
    );
    expect(r.deps).toEqual(['./dep', './ns', './side', './star', './q']);
    expect(Object.fromEntries([...r.importedNames].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      './dep': ['a', 'c', 'default'],
      './ns': ['*'],
      './side': [],
      './star': ['*'],
      './q': ['q'],
    });
    expect(r.exports.sort()).toEqual(['count', 'default', 'use', 'w']);
    expect(r.stars).toEqual(['./star']);
    expect(r.dynamicDeps).toEqual(['./lazy']);
    expect(r.tla).toBe(false);
  });

  it('drops imports only used as types (they would fail the link check)', async () => {
    const r = await transformScript(`import { Shape } from './types'; export const f = (s: Shape) => s;`, opts());
    expect(r.deps).toEqual([]);
  });

  it('detects top-level await but not await inside functions', async () => {
    expect((await transformScript('export const v = await Promise.resolve(1);', opts())).tla).toBe(true);
    expect((await transformScript('for await (const x of []) {}', opts())).tla).toBe(true);
    expect((await transformScript('export async function f() { await 1; }', opts())).tla).toBe(false);
    expect((await transformScript('export const f = async () => { await 1; };', opts())).tla).toBe(false);
  });

  it('compiles JSX with the automatic development runtime', async () => {
    const r = await transformScript('export const App = () => <div>hi</div>;', opts('tsx'));
    expect(r.deps).toEqual(['react/jsx-dev-runtime']);
    expect(r.importedNames.get('react/jsx-dev-runtime')).toEqual(new Set(['jsxDEV']));
  });

  it('names an anonymous default export "default" when the factory runs', async () => {
    const r = await transformScript('export default function () { return 1; }', opts());
    const factory = (0, eval)(wrapFactory(r.body, '/src/a.ts')) as (...args: unknown[]) => Promise<void>;
    const exports: Record<string, unknown> = {};
    await factory(exports, {}, async () => ({}), async () => ({}), () => {});
    expect((exports.default as () => number).name).toBe('default');
    expect((exports.default as () => number)()).toBe(1);
  });

  it('runs factories in strict mode, like ES modules', async () => {
    const r = await transformScript('export const self = (function () { return this; })();', opts('js'));
    const factory = (0, eval)(wrapFactory(r.body, '/src/a.js')) as (...args: unknown[]) => Promise<void>;
    const exports: Record<string, unknown> = {};
    await factory(exports, {}, async () => ({}), async () => ({}), () => {});
    expect(exports.self).toBeUndefined();
  });

  it('reports a syntax error with file, line, column and a code frame', async () => {
    await expect(transformScript('const a = 1;\nlet b = ;\n', opts())).rejects.toMatchObject({
      code: 'ERR_SYNTAX',
      details: { file: '/root/src/a.ts', loc: { line: 2, column: 9 }, frame: expect.stringContaining('> 2 | let b = ;') },
    });
  });

  it('maps the factory back to the original TypeScript', async () => {
    const source = 'const a: number = 1;\nexport const b: string = "x" + a;\n';
    const r = await transformScript(source, opts());
    const map = composeMap(r.maps, '/src/a.ts', source) as { sources: string[]; sourcesContent: string[]; mappings: string };
    expect(map.sources).toEqual(['/src/a.ts']);
    expect(map.sourcesContent).toEqual([source]);
    expect(map.mappings.length).toBeGreaterThan(0);
  });
});

describe('codeFrame', () => {
  it('marks the column under the line', () => {
    expect(codeFrame('a\nlet b = ;\nc', 2, 9)).toBe('  1 | a\n> 2 | let b = ;\n    |         ^\n  3 | c');
  });
});

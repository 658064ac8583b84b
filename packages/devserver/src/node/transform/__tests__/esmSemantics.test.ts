/**
 * The gaps of moduleRunnerTransform's output that scriptTransform closes (found by
 * e2e/conformance.test.ts against native Chromium): anonymous default exports named
 * "default" and hoisted like ESM, read-only imported bindings, and no dead-code
 * elimination from oxc's `define` in modules that use no define.
 */
import { describe, expect, it } from 'vitest';
import { rewriteDefaultExport } from '../defaultExport.js';
import { importedLocals, readOnlyImports } from '../importBindings.js';
import { definesUsedBy, transformScript, wrapFactory } from '../scriptTransform.js';

type Factory = (...args: unknown[]) => Promise<void>;

/** Starts a factory whose imports never resolve: only the part before the first await runs. */
async function enter(source: string): Promise<Record<string, unknown>> {
  const r = await transformScript(source, { id: '/a.js', filename: '/root/a.js', lang: 'js' });
  const factory = (0, eval)(wrapFactory(r.body, '/a.js')) as Factory;
  const exports: Record<string, unknown> = {};
  void factory(exports, {}, () => new Promise(() => {}), async () => ({}), () => {});
  return exports;
}

/** Runs a factory to the end with `deps` as the namespaces of its imports. */
async function run(source: string, deps: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const r = await transformScript(source, { id: '/a.js', filename: '/root/a.js', lang: 'js' });
  const factory = (0, eval)(wrapFactory(r.body, '/a.js')) as Factory;
  const exports: Record<string, unknown> = {};
  await factory(exports, {}, async (spec: string) => deps[spec], async () => ({}), () => {});
  return exports;
}

describe('anonymous default exports', () => {
  it('leaves named and non-function defaults alone (no parse)', async () => {
    for (const code of [
      'export default function named() {}\n',
      'export default class Named {}\n',
      'export default value;\n',
      'export default { a: 1 };\n',
      'export default (0, function() {});\n',
    ]) {
      expect(await rewriteDefaultExport(code, 'a.js')).toBeNull();
    }
  });

  it('wraps anonymous classes and function expressions so the property definition names them', async () => {
    expect((await rewriteDefaultExport('export default class extends Base {}\n', 'a.js'))?.code).toBe(
      'export default ({ default: class extends Base {} }).default;\n',
    );
    expect((await rewriteDefaultExport('export default (x) => x;\n', 'a.js'))?.code).toBe('export default ({ default: (x) => x }).default;\n');
    expect((await rewriteDefaultExport('export default (function() {});\n', 'a.js'))?.code).toBe(
      'export default ({ default: (function() {}) }).default;\n',
    );
  });

  it('keeps an anonymous function declaration hoisted: callable and named before the body runs', async () => {
    const exports = await enter(`import { x } from './b.js';\nexport default async function* () {}\n`);
    const fn = exports.default as () => unknown;
    expect(fn.name).toBe('default');
    expect(Object.prototype.toString.call(fn())).toBe('[object AsyncGenerator]');
  });

  it('names a class "default" already while its static blocks run', async () => {
    const exports = await run('export let seen; export default class { static { seen = this.name; } }');
    expect(exports.seen).toBe('default');
    expect((exports.default as { name: string }).name).toBe('default');
  });
});

describe('imported bindings', () => {
  it('reads the local names of every import form', () => {
    const code = 'import d, { a as b, "s x" as c, e } from "./x.js";\nimport * as ns from "y";\nimport f, * as g from "z";\nimport "side";\nimport { Object } from "o";\n';
    expect(importedLocals(code)).toEqual(['b', 'c', 'e', 'd', 'ns', 'g', 'f']);
    expect(readOnlyImports(['b', 'ns'])).toBe('const b = void 0, ns = void 0;');
    expect(readOnlyImports([])).toBe('');
  });

  it('throws a TypeError on a write and never writes a global of the same name', async () => {
    const exports = await run(
      `import { count, count as name } from './c.js';
       const attempt = (f) => { try { f(); return 'no error'; } catch (e) { return e.name; } };
       export const results = [attempt(() => { count = 1; }), attempt(() => { name = 'x'; }), count];`,
      { './c.js': { count: 0 } },
    );
    expect(exports.results).toEqual(['TypeError', 'TypeError', 0]);
    expect((globalThis as { name?: unknown }).name).toBeUndefined();
  });
});

describe('define', () => {
  it('passes only the entries a module can use, so other modules keep unused code', async () => {
    expect(definesUsedBy('const a = 1;', {})).toBeUndefined();
    expect(definesUsedBy('x(__APP__)', { __APP__: '"1"', 'process.env.X': '"2"' })).toEqual({ __APP__: '"1"' });
    expect(definesUsedBy('import.meta.env.MODE', { 'import.meta.env.MODE': '"dev"' })).toEqual({ 'import.meta.env.MODE': '"dev"' });
    const r = await transformScript('const unused = 1;\nexport default (0, function () {});', {
      id: '/a.js',
      filename: '/root/a.js',
      lang: 'js',
      define: { __APP__: '"1"' },
    });
    expect(r.body).toContain('const unused = 1;');
    expect(r.body).toContain('(0, function() {})');
  });
});

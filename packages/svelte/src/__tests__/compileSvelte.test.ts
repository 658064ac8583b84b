/** The compiler wrapper (src/node/compileSvelte.ts): options, caching, errors, warnings. */
import { describe, expect, it } from 'vitest';
import { createSvelteCompiler, formatWarning, SvelteCompileError } from '../node/compileSvelte.js';

const ROOT = '/app';
const component = (color: string) =>
  `<script lang="ts">\n  let count: number = $state(0);\n</script>\n<p class="x">{count}</p>\n<style>\n  .x { color: ${color}; }\n</style>\n`;

async function rejection(promise: Promise<unknown>): Promise<SvelteCompileError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof SvelteCompileError)) throw new Error(`expected a SvelteCompileError, got ${String(error)}`);
  return error;
}

describe('component', () => {
  it('compiles TypeScript components for the browser, in dev mode with HMR, CSS apart', () => {
    const { js, css } = createSvelteCompiler(ROOT, {}).component(component('red'), '/app/src/App.svelte');
    expect(js).toContain("from 'svelte/internal/client'");
    expect(js).toContain('$.hmr(App)');
    expect(js).toContain('import.meta.hot.accept(');
    expect(js).not.toContain(': number');
    // File names in the code are relative to the root: no absolute path reaches the browser.
    expect(js).toContain("App[$.FILENAME] = 'src/App.svelte'");
    expect(js).not.toContain('/app/src');
    expect(css).toMatch(/^\s*\.x\.svelte-[\w-]+ \{ color: red; \}\s*$/);
  });

  it('scopes by file name, so a style-only edit leaves the JS byte for byte the same', () => {
    const compiler = createSvelteCompiler(ROOT, {});
    const red = compiler.component(component('red'), '/app/src/App.svelte');
    const blue = compiler.component(component('blue'), '/app/src/App.svelte');
    expect(blue.js).toBe(red.js);
    expect(blue.css).not.toBe(red.css);
    const other = compiler.component(component('red'), '/app/src/Other.svelte');
    expect(other.css).not.toBe(red.css);
  });

  it('has no CSS for a component without (or with an empty) style block', () => {
    const compiler = createSvelteCompiler(ROOT, {});
    expect(compiler.component('<h1>hi</h1>', '/app/src/A.svelte').css).toBeNull();
    expect(compiler.component('<h1>hi</h1><style></style>', '/app/src/B.svelte').css).toBeNull();
  });

  it('compiles a file once per source and remembers its last good CSS', () => {
    const compiler = createSvelteCompiler(ROOT, {});
    const first = compiler.component(component('red'), '/app/src/App.svelte');
    expect(compiler.component(component('red'), '/app/src/App.svelte')).toBe(first);
    expect(() => compiler.component('<p>{oops</p>', '/app/src/App.svelte')).toThrow(SvelteCompileError);
    expect(compiler.lastCss('/app/src/App.svelte')).toBe(first.css);
    expect(compiler.lastCss('/app/src/Unknown.svelte')).toBeNull();
  });

  it('passes user compiler options on, but keeps its own', () => {
    const compiler = createSvelteCompiler(ROOT, { runes: true });
    // `runes: true` makes a legacy `export let` an error.
    expect(() => compiler.component('<script>export let a = 1;</script>{a}', '/app/src/L.svelte')).toThrow(/export let/);
  });

  it('reports errors on one line, with the docs link and a 1-based line and column', () => {
    const compiler = createSvelteCompiler(ROOT, {});
    let error: unknown;
    try {
      compiler.component('<script>\n  let a = ;\n</script>\n', '/app/src/Bad.svelte');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SvelteCompileError);
    const { message, loc } = error as SvelteCompileError;
    expect(message).toBe('Unexpected token (https://svelte.dev/e/js_parse_error)');
    expect(loc).toEqual({ line: 2, column: 11 });
  });
});

describe('module', () => {
  it('strips TypeScript, then compiles the runes', async () => {
    const source = 'export interface S { n: number }\nexport const s: S = $state({ n: 0 });\nexport function inc(): void { s.n++; }\n';
    const { js } = await createSvelteCompiler(ROOT, {}).module(source, '/app/src/store.svelte.ts');
    expect(js).not.toContain('interface');
    expect(js).toContain("$.tag_proxy($.proxy({ n: 0 }), 's')");
  });

  it('leaves .svelte.js modules to the compiler alone', async () => {
    const { js } = await createSvelteCompiler(ROOT, {}).module('let n = $state(0);\nexport const get = () => n;\nexport const inc = () => n++;\n', '/app/src/c.svelte.js');
    expect(js).toContain("$.tag($.state(0), 'n')");
  });

  it('locates TypeScript and rune errors', async () => {
    const compiler = createSvelteCompiler(ROOT, {});
    const typed = await rejection(compiler.module('export const a: number = 1;\nexport const b: = 2;\n', '/app/src/t.svelte.ts'));
    expect(typed.loc?.line).toBe(2);
    const rune = await rejection(compiler.module('export const a = $derived.nope(1);\n', '/app/src/r.svelte.js'));
    expect(rune.message).toMatch(/\(https:\/\/svelte\.dev\/e\/\w+\)$/);
    expect(rune.loc).toEqual({ line: 1, column: 18 });
  });
});

describe('formatWarning', () => {
  it('is one line: file:line:column, message, code', () => {
    const { warnings } = createSvelteCompiler(ROOT, {}).component('<img src="a.png">\n', '/app/src/W.svelte');
    expect(warnings.map((w) => formatWarning(w, ROOT))).toEqual([
      expect.stringMatching(/^src\/W\.svelte:1:1 `<img>` element should have an alt attribute \(a11y_missing_attribute\)$/),
    ]);
  });
});

/**
 * The rewrites of the compiler's output (src/node/rewriteCompiled.ts) on real compiler
 * output: state keeping (preserveState.ts), the accept guard (acceptGuard.ts), the map.
 */
import { describe, expect, it } from 'vitest';
import { compile, compileModule } from 'svelte/compiler';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { STATE_KEEPER_SPECIFIER } from '../node/preserveState.js';
import { rewriteCompiled } from '../node/rewriteCompiled.js';

const IMPORT = `import * as $$devserver_state from ${JSON.stringify(STATE_KEEPER_SPECIFIER)};`;

function compiled(script: string, markup = ''): { code: string; map: object } {
  return compile(`<script>\n${script}\n</script>\n${markup}`, { filename: 'src/C.svelte', dev: true, hmr: true, generate: 'client', css: 'external' }).js;
}

/** The rewritten component. */
function rewritten(script: string, markup = ''): string {
  const { code, map } = compiled(script, markup);
  return rewriteCompiled(code, map, { kind: 'component', keepState: true }).code;
}

/** The calls the rewrite added: kind, holder, label. */
function keeps(code: string): string[] {
  return [...code.matchAll(/\$\$devserver_state\.(state|proxy)\(([^,]+(?:\([^)]*\))?[^,]*), "([^"]+)", "[\w-]+", /g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
}

describe('state keeping in components', () => {
  it("wraps the component's own $state declarations, keyed by its props object", () => {
    const code = rewritten(
      'let count = $state(0);\nlet items = $state([1]);\nlet user = $state({ name: "a" });\nconst doubled = $derived(count * 2);',
      '<button onclick={() => { count++; user = { name: "b" }; }}>{count} {doubled} {items.length} {user.name}</button>',
    );
    expect(keeps(code)).toEqual(['state $$props count', 'proxy $$props items', 'state $$props user']);
    expect(code).toContain('$$devserver_state.state($$props, "count", ');
    // The original initialiser is the last argument, unchanged.
    expect(code).toMatch(/\$\$devserver_state\.state\(\$\$props, "count", "[\w-]+", \$\.tag\(\$\.state\(0\), 'count'\)\)/);
    expect(code.trimEnd().endsWith(IMPORT)).toBe(true);
    // $derived is recomputed from the kept state, never kept itself.
    expect(code).not.toContain('"doubled"');
  });

  it('leaves state in classes and nested functions alone (one label, many objects)', () => {
    const code = rewritten(
      'class Box { v = $state(0); }\nfunction make() { let inner = $state(1); inner++; return inner; }\nconst box = new Box();\nlet n = $state(make());',
      '<p>{box.v} {n}</p><button onclick={() => n++}>+</button>',
    );
    expect(keeps(code)).toEqual(['state $$props n']);
  });

  it('gives a declaration a signature that changes with its initial value only', () => {
    const signature = (script: string, label: string) =>
      new RegExp(`"${label}", "([\\w-]+)"`).exec(rewritten(script, '<button onclick={() => { a++; b++; }}>{a} {b}</button>'))![1];
    const before = 'let a = $state(0);\nlet b = $state(0);';
    expect(signature(before, 'a')).toBe(signature(`${before}\nconst unrelated = 1;`, 'a'));
    expect(signature('let a = $state(5);\nlet b = $state(0);', 'a')).not.toBe(signature(before, 'a'));
    expect(signature('let a = $state(5);\nlet b = $state(0);', 'b')).toBe(signature(before, 'b'));
  });

  it('keeps nothing when there is nothing to keep, or when told not to', () => {
    const plain = compiled('const label = "x";', '<p>{label}</p>');
    expect(rewriteCompiled(plain.code, plain.map, { kind: 'component', keepState: true }).code).not.toContain(STATE_KEEPER_SPECIFIER);
    const counter = compiled('let n = $state(0);', '<button onclick={() => n++}>{n}</button>');
    expect(rewriteCompiled(counter.code, counter.map, { kind: 'component', keepState: false }).code).not.toContain('$$devserver_state');
    const broken = { code: 'this is not javascript {', map: plain.map };
    expect(rewriteCompiled(broken.code, broken.map, { kind: 'component', keepState: true })).toEqual(broken);
  });

  it("extends the compiler's map: declarations after an inserted call still map to their .svelte line", () => {
    const source = '<script>\nlet count = $state(0);\nlet other = $state(1);\n</script>\n<button onclick={() => { count++; other++; }}>{count} {other}</button>\n';
    const { code, map } = compile(source, { filename: 'src/C.svelte', dev: true, hmr: true, generate: 'client', css: 'external' }).js;
    const kept = rewriteCompiled(code, map, { kind: 'component', keepState: true });
    const trace = new TraceMap(kept.map as never);
    const at = (needle: string) => {
      const index = kept.code.indexOf(needle);
      const before = kept.code.slice(0, index);
      return originalPositionFor(trace, { line: before.split('\n').length, column: index - before.lastIndexOf('\n') - 1 });
    };
    expect(at("$.state(1)")).toMatchObject({ line: 3 });
    expect(at("$.state(0)")).toMatchObject({ line: 2 });
  });
});

describe('state keeping in .svelte.js modules', () => {
  it("wraps top-level $state, exported or not, keyed by the module's import.meta.hot.data", () => {
    const source = 'export const store = $state({ n: 0 });\nlet count = $state(0);\nexport const inc = () => { store.n++; count++; };\nconst double = $derived(count * 2);\nexport const getDouble = () => double;';
    const { js } = compileModule(source, { filename: 'src/s.svelte.js', dev: true, generate: 'client' });
    const code = rewriteCompiled(js.code, js.map, { kind: 'module', keepState: true }).code;
    const holder = '(import.meta.hot ? import.meta.hot.data : undefined)';
    expect(keeps(code)).toEqual([`proxy ${holder} store`, `state ${holder} count`]);
    expect(code).toContain(IMPORT);
  });
});

describe('the accept guard', () => {
  it('makes the accept callback keep the current version when the new one failed to load', () => {
    const { code, map } = compiled('let n = $state(0);', '<button onclick={() => n++}>{n}</button>');
    const out = rewriteCompiled(code, map, { kind: 'component', keepState: false }).code;
    expect(out).toContain('import.meta.hot.accept((module) => { if (!module) return;');
    // On the callback's first line: no line moves.
    expect(out.split('\n')).toHaveLength(code.split('\n').length);
  });

  it('leaves modules alone (they have no accept of their own)', () => {
    const { js } = compileModule('export const a = 1;\nif (import.meta.hot) { import.meta.hot.accept((m) => {}); }', { filename: 'src/m.svelte.js', dev: true, generate: 'client' });
    expect(rewriteCompiled(js.code, js.map, { kind: 'module', keepState: true }).code).not.toContain('if (!m)');
  });
});

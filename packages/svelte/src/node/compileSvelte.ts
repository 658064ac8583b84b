/**
 * Runs the Svelte compiler for devserver: `.svelte` components with `compile()` and
 * `.svelte.js`/`.svelte.ts` modules with `compileModule()`, always for the browser in dev
 * mode with HMR code.
 *
 * Components compile with `css: 'external'`: the JS and the CSS come out separately, and the
 * CSS becomes its own module (styleModule.ts). The scoping class is a hash of the *file
 * name*, not of the CSS (what @sveltejs/vite-plugin-svelte does in dev), so a style-only
 * edit leaves the component's JS byte for byte the same: devserver then sees that only the
 * style module changed, swaps the CSS, and never re-runs the component.
 *
 * The component's JS and its style module are two modules built from one file, usually
 * right after each other; the last compile per file is kept, so the file compiles once.
 * `compileModule()` does not accept TypeScript, so `.svelte.ts` modules lose their types
 * with oxc-transform first (`compile()` strips `<script lang="ts">` itself).
 */
import path from 'node:path';
import { compile, compileModule, type CompileOptions, type Warning } from 'svelte/compiler';
import { transform as oxcTransform } from 'oxc-transform';
import remapping from '@jridgewell/remapping';

/** Compiler options a user may set; the plugin owns the rest (see `compileOptions`). */
export type UserCompilerOptions = Omit<CompileOptions, 'filename' | 'generate' | 'dev' | 'hmr' | 'css' | 'cssHash'>;

export interface CompiledComponent {
  js: string;
  /** From `js` to the `.svelte` source. */
  map: object;
  /** The component's scoped CSS, or null when it has no `<style>` (or only an empty one). */
  css: string | null;
  warnings: Warning[];
}

export interface CompiledModule {
  js: string;
  /** From `js` to the module's source (TypeScript included). */
  map: object;
  warnings: Warning[];
}

/** A Svelte compile error, with a 1-based line and column for the overlay. */
export class SvelteCompileError extends Error {
  readonly loc: { line: number; column: number } | undefined;
  constructor(message: string, loc: { line: number; column: number } | undefined) {
    super(message);
    this.name = 'SvelteCompileError';
    this.loc = loc;
  }
}

export interface SvelteCompiler {
  /** Compiles a component (cached: the same file with the same source compiles once). */
  component(source: string, file: string): CompiledComponent;
  /** The CSS of the last successful compile of `file` (null if none, or no styles). */
  lastCss(file: string): string | null;
  /** Compiles a `.svelte.js`/`.svelte.ts` module. */
  module(source: string, file: string): Promise<CompiledModule>;
}

/**
 * @param root project root: file names in the compiled code (`$.FILENAME`, dev warnings)
 *   are relative to it, so no absolute path reaches the browser
 * @example
 * const compiler = createSvelteCompiler('/app', {});
 * const { js, css } = compiler.component('<h1>hi</h1>', '/app/src/App.svelte');
 */
export function createSvelteCompiler(root: string, userOptions: UserCompilerOptions): SvelteCompiler {
  const last = new Map<string, { source: string; result: CompiledComponent }>();

  return {
    component(source, file) {
      const cached = last.get(file);
      if (cached && cached.source === source) return cached.result;
      const compiled = guarded(file, () =>
        compile(source, {
          ...userOptions,
          filename: file,
          rootDir: userOptions.rootDir ?? root,
          generate: 'client',
          dev: true,
          hmr: true,
          css: 'external',
          // `filename` is relative to rootDir: the same class wherever the project lives.
          cssHash: ({ hash, filename }) => `svelte-${hash(filename)}`,
        }),
      );
      const css = compiled.css && compiled.css.code.trim() ? compiled.css.code : null;
      const result: CompiledComponent = { js: compiled.js.code, map: compiled.js.map, css, warnings: compiled.warnings };
      last.set(file, { source, result });
      return result;
    },

    lastCss(file) {
      return last.get(file)?.result.css ?? null;
    },

    async module(source, file) {
      let js = source;
      let inputMap: object | undefined;
      if (/\.[cm]?ts$/.test(file)) {
        const stripped = await oxcTransform(file, source, { lang: 'ts', sourceType: 'module', sourcemap: true, typescript: { onlyRemoveTypeImports: false } });
        const [first] = stripped.errors;
        if (first) {
          const label = first.labels?.[0];
          throw new SvelteCompileError(first.message, label ? lineColumn(source, label.start) : undefined);
        }
        js = stripped.code;
        inputMap = stripped.map;
      }
      const compiled = guarded(file, () =>
        compileModule(js, { filename: file, rootDir: userOptions.rootDir ?? root, generate: 'client', dev: true }),
      );
      // Through the type stripping too, so the map reaches the TypeScript as written.
      const map = inputMap ? (remapping([compiled.js.map, inputMap] as never, () => null) as unknown as object) : compiled.js.map;
      return { js: compiled.js.code, map, warnings: compiled.warnings };
    },
  };
}

/** Runs the compiler, turning its error into a SvelteCompileError (message one line, link kept). */
function guarded<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw toCompileError(error, file);
  }
}

/**
 * Svelte's errors read "Unexpected token\nhttps://svelte.dev/e/js_parse_error" with 0-based
 * columns; the overlay wants one line and 1-based columns.
 */
export function toCompileError(error: unknown, file: string): SvelteCompileError {
  if (!(error instanceof Error)) return new SvelteCompileError(`${path.basename(file)}: ${String(error)}`, undefined);
  const start = (error as Error & { start?: { line: number; column: number } }).start;
  const [first, ...rest] = error.message.split('\n');
  const link = rest.find((line) => line.startsWith('https://'));
  const message = link ? `${first} (${link})` : first;
  return new SvelteCompileError(message, start ? { line: start.line, column: start.column + 1 } : undefined);
}

/** 1-based line and column of a UTF-16 offset. */
function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** One line for the terminal: `src/App.svelte:3:5 <message> (code)`. */
export function formatWarning(warning: Warning, root: string): string {
  const file = warning.filename ? path.relative(root, path.resolve(root, warning.filename)).split(path.sep).join('/') : '';
  const where = warning.start ? `${file}:${warning.start.line}:${warning.start.column + 1}` : file;
  return `${where} ${warning.message.split('\n')[0]} (${warning.code})`;
}

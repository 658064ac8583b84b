/**
 * @devserver/svelte: Svelte 5 for devserver.
 *
 * What the plugin does, hook by hook:
 *  - `transform` of a `.svelte` file: compiles it (client, dev, HMR, external CSS), wraps its
 *    `$state` declarations so state survives hot updates and guards its accept callback
 *    (rewriteCompiled.ts), and imports its CSS as a module of its own (styleModule.ts).
 *    A `.svelte` file is no script for devserver (an unknown extension); a transform that
 *    turns its text into JS makes it one.
 *  - `transform` of a `.svelte.js`/`.svelte.ts` module: strips types, `compileModule`, keeps
 *    its module-level `$state` across updates (same rewrite).
 *  - `load` + `transform` of `App.svelte?svelte&type=style&lang.css`: the component's CSS,
 *    then the small module that puts it in a `<style>` and swaps it in place on updates.
 *  - `resolveId`/`load` of `virtual:@devserver/svelte/state`: the state keeper.
 *  - `config`: Svelte's runtime entries join `optimizeDeps.include`, so they are
 *    pre-bundled in one build (one copy of the runtime, in a shared chunk).
 * The HMR itself is the compiler's: each component self-accepts with
 * `import.meta.hot.accept(cb)` and swaps itself through `$.hmr`. The runtime imports it
 * writes (`svelte/internal/client`, ...) go through devserver's dependency pre-bundling.
 * See docs/framework-integration.md for the design and what each kind of edit does.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import type { Plugin } from 'devserver';
import { createSvelteCompiler, formatWarning, SvelteCompileError, type SvelteCompiler, type UserCompilerOptions } from './compileSvelte.js';
import { STATE_KEEPER_SPECIFIER } from './preserveState.js';
import { rewriteCompiled } from './rewriteCompiled.js';
import { componentFileOf, isStyleId, styleImport, styleModuleSource } from './styleModule.js';

export interface SveltePluginOptions {
  /** Files never compiled by the plugin (tested on the absolute path). Default: none. */
  exclude?: RegExp;
  /**
   * Keep `$state` values when a component or a `.svelte.js`/`.svelte.ts` module is updated
   * (default `true`). `false` gives Svelte's own behaviour: an edited component starts over.
   */
  preserveState?: boolean;
  /** Passed to the Svelte compiler; `generate`, `dev`, `hmr`, `css` and `cssHash` are the plugin's. */
  compilerOptions?: UserCompilerOptions;
}

/** Rollup-style virtual id of the state keeper module. */
export const STATE_KEEPER_ID = '\0virtual:@devserver/svelte/state.js';
/** What compiled code imports from svelte (`flags/legacy`: components without runes). */
export const RUNTIME_ENTRIES = ['svelte', 'svelte/internal/client', 'svelte/internal/disclose-version', 'svelte/internal/flags/legacy'];
const COMPONENT = /\.svelte$/;
const MODULE = /\.svelte\.[cm]?[jt]s$/;

/**
 * Creates the plugin.
 * @example
 * // devserver.config.ts
 * import { defineConfig } from 'devserver';
 * import svelte from '@devserver/svelte';
 * export default defineConfig({ plugins: [svelte()] });
 */
export default function svelte(options: SveltePluginOptions = {}): Plugin {
  const keepState = options.preserveState ?? true;
  let root = process.cwd();
  let compiler: SvelteCompiler | undefined;
  const compilerFor = () => (compiler ??= createSvelteCompiler(root, options.compilerOptions ?? {}));
  const excluded = (file: string) => options.exclude?.test(file) ?? false;

  return {
    name: '@devserver/svelte',
    // Other plugins' transforms expect JavaScript: the .svelte source must be compiled first.
    enforce: 'pre',
    config(user) {
      // One pre-bundle build at start for everything compiled components import, instead of
      // one for `svelte` (seen first, in the entry) and another for the runtime entries.
      const include = new Set([...(user.optimizeDeps?.include ?? []), ...RUNTIME_ENTRIES]);
      return { optimizeDeps: { include: [...include] } };
    },
    configResolved(config) {
      root = config.root;
      compiler = undefined;
    },
    resolveId(source) {
      return source === STATE_KEEPER_SPECIFIER ? STATE_KEEPER_ID : null;
    },
    async load(id) {
      if (id === STATE_KEEPER_ID) return fs.readFile(stateKeeperFile(), 'utf8');
      if (!isStyleId(id) || excluded(componentFileOf(id))) return null;
      // devserver's file gate has checked the component file (the id's path) already.
      const file = componentFileOf(id);
      const source = await fs.readFile(file, 'utf8');
      let css: string | null;
      try {
        css = compilerFor().component(source, file).css;
      } catch {
        // The component module reports the error; its styles stay as they last compiled.
        css = compilerFor().lastCss(file);
      }
      // Never empty: an empty text would not go through `transform` as a module.
      return css ?? '/* no styles */';
    },
    async transform(code, id) {
      if (isStyleId(id)) return excluded(componentFileOf(id)) ? null : styleModuleSource(code);
      if (id.includes('?') || id.startsWith('\0') || excluded(id)) return null;
      const kind = COMPONENT.test(id) ? 'component' : MODULE.test(id) ? 'module' : null;
      if (!kind) return null;
      try {
        const compiled = kind === 'component' ? compilerFor().component(code, id) : await compilerFor().module(code, id);
        for (const warning of compiled.warnings) this.warn(formatWarning(warning, root));
        const { code: js, map } = rewriteCompiled(compiled.js, compiled.map, { kind, keepState });
        // Appended last: every line above keeps its mapping.
        const withStyles = 'css' in compiled && compiled.css !== null ? `${js}\n${styleImport(id)}\n` : js;
        return { code: withStyles, map };
      } catch (error) {
        // One line and a location: the overlay and the terminal add the file and a code frame.
        if (error instanceof SvelteCompileError) this.error(error.message, error.loc);
        throw error;
      }
    },
  };
}

/** The state keeper's source file (shipped in src/, read as is). */
function stateKeeperFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, 'src/client/stateKeeper.js');
}

export { svelte };
export { STATE_KEEPER_SPECIFIER } from './preserveState.js';
export { STYLE_QUERY } from './styleModule.js';

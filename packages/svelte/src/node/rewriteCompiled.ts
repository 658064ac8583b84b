/**
 * The plugin's edits to the Svelte compiler's output, in one parse and one MagicString, with
 * a source map that extends the compiler's (the inserted code moves columns, never lines):
 *  - state keeping (preserveState.ts): `$state` survives hot updates;
 *  - the accept guard (acceptGuard.ts): a failed update does not throw a second error.
 */
import remapping from '@jridgewell/remapping';
import MagicString from 'magic-string';
import { parseSync } from 'oxc-parser';
import { acceptGuardEdits } from './acceptGuard.js';
import { keepStateEdits } from './preserveState.js';

/** An ESTree node from oxc-parser, read loosely: the rewrites check every field they use. */
export interface AstNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export interface RewriteOptions {
  kind: 'component' | 'module';
  /** Wrap `$state` declarations in the state keeper. */
  keepState: boolean;
}

/**
 * @param map the compiler's map (from `code` to the source file)
 * @returns the code and a map from it to the source file; the input as is when nothing applied
 * @example
 * const { js } = compile(source, { dev: true, hmr: true, ... });
 * const out = rewriteCompiled(js.code, js.map, { kind: 'component', keepState: true });
 */
export function rewriteCompiled(code: string, map: object, options: RewriteOptions): { code: string; map: object } {
  const { program, errors } = parseSync('compiled.js', code, { lang: 'js', sourceType: 'module' });
  if (errors.length) return { code, map };
  const body = program.body as unknown as AstNode[];
  const out = new MagicString(code);
  if (options.kind === 'component') acceptGuardEdits(body, out);
  if (options.keepState) keepStateEdits(body, code, out, options.kind);
  if (!out.hasChanged()) return { code, map };
  const own = out.generateMap({ hires: 'boundary', source: 'compiled.js' });
  return { code: out.toString(), map: remapping([own, map] as never, () => null) as unknown as object };
}

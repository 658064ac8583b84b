/**
 * Keeps imported bindings read-only, as in ESM. moduleRunnerTransform rewrites every read
 * of an imported name into a namespace lookup and drops the import declaration, but leaves
 * writes alone: `count = 5` then assigns an undeclared name, a ReferenceError in strict
 * code, or, when a global of that name exists (`name`, `status`...), silently writes the
 * global. ESM throws a TypeError ("Assignment to constant variable.").
 *
 * The fix declares each imported local name as a `const` at the top of the factory: reads
 * never reach it (they were rewritten), writes hit a constant and throw V8's own TypeError.
 * The local names are read from the stripped code, where oxc's codegen prints one
 * `import … from "…";` per line (the same pinned-shape approach as readModuleInfo).
 */

// One import declaration as oxc's codegen prints it (bindings, then `from`).
const IMPORT_DECLARATION = /^import (.+?) from "(?:[^"\\\n]|\\.)*"(?: with \{[^\n]*\})?;$/gm;
// One `name` or `name as local` inside braces; a quoted name needs `as`.
const NAMED_SPECIFIER = /(?:"(?:[^"\\]|\\.)*"|[^\s,]+)(?:\s+as\s+([^\s,]+))?/g;
const NAMESPACE = /\*\s*as\s+([^\s,]+)/;
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;
/** Globals the generated factory code itself uses: shadowing them would break it. */
const USED_BY_FACTORY = new Set(['Object']);

/** Local names bound by the import declarations of `code` (oxc codegen output). */
export function importedLocals(code: string): string[] {
  const locals: string[] = [];
  for (const m of code.matchAll(IMPORT_DECLARATION)) {
    let clause = m[1];
    const open = clause.indexOf('{');
    if (open !== -1) {
      const inner = clause.slice(open + 1, clause.lastIndexOf('}'));
      for (const spec of inner.matchAll(NAMED_SPECIFIER)) locals.push(spec[1] ?? spec[0]);
      clause = clause.slice(0, open);
    }
    const ns = NAMESPACE.exec(clause);
    if (ns) {
      locals.push(ns[1]);
      clause = clause.slice(0, ns.index);
    }
    const defaultLocal = clause.replace(/,\s*$/, '').trim();
    if (defaultLocal) locals.push(defaultLocal);
  }
  return [...new Set(locals)].filter((name) => IDENTIFIER.test(name) && !USED_BY_FACTORY.has(name));
}

/**
 * The statement that makes `locals` read-only, or '' when there are none.
 * @example
 * readOnlyImports(['count', 'ns']) // 'const count = void 0, ns = void 0;'
 */
export function readOnlyImports(locals: string[]): string {
  return locals.length ? `const ${locals.map((name) => `${name} = void 0`).join(', ')};` : '';
}

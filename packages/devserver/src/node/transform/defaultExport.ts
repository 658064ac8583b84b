/**
 * Gives anonymous default exports the ESM semantics moduleRunnerTransform loses. It emits
 * `const __vite_ssr_export_default__ = <value>`, so (1) the value is named
 * "__vite_ssr_export_default__" instead of "default", also while a class's static blocks
 * run, and (2) an anonymous `export default function () {}` is no longer hoisted: a module
 * in a cycle that calls it before this module's body ran gets a ReferenceError where ESM
 * calls the function (architecture.md, "Rules of the house"; e2e/conformance.test.ts).
 *
 * Rewritten on the stripped code, before the runner pass:
 * - `export default function () {}` (also async, generator) gets a name, so it stays a
 *   hoisted declaration; the name is set to "default" by `defaultNameFix`, which the
 *   caller puts before the factory's first await.
 * - an anonymous class declaration, and an expression that is an anonymous function
 *   definition (arrow, function or class expression, maybe parenthesized), is wrapped as
 *   `({ default: <value> }).default`: the property definition names it "default" the way
 *   `export default` does, before any static block runs.
 * Anything else (named functions and classes, other expressions) keeps its own name.
 * Only modules whose text may hold such an export pay for a parse.
 */
import MagicString from 'magic-string';
import { loadOxcParser } from '../lazyModules.js';

/** The binding an anonymous default function declaration is given (never user-visible by name). */
export const DEFAULT_FUNCTION_NAME = '__devserver_default__';

export interface DefaultExportRewrite {
  code: string;
  /** Maps the rewritten code back to the input code. */
  map: object;
  /** The default export is a hoisted function declaration that needs `defaultNameFix`. */
  hoistedFunction: boolean;
}

// oxc's codegen prints `export default ` at the start of a line. After it, these forms are
// certainly not anonymous function definitions: a named function or class, an object,
// array or literal, an identifier or member expression ending the statement.
const EXPORT_DEFAULT = /^export default /gm;
const NOT_ANONYMOUS =
  /^(?:(?:async\s+)?function\s*\*?\s*[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*\s*\(|class\s+(?!extends\b)[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*[\s{]|[\p{ID_Continue}$.]+;|[{["'`\d-])/u;
const FUNCTION_KEYWORD = /^(?:async\s+)?function\s*(?:\*\s*)?/;

interface Node {
  type: string;
  start: number;
  end: number;
  id?: unknown;
  expression?: Node;
  declaration?: Node;
}

/** ECMA-262 IsAnonymousFunctionDefinition, parentheses included. */
function isAnonymousFunctionDefinition(node: Node): boolean {
  switch (node.type) {
    case 'ParenthesizedExpression':
      return node.expression !== undefined && isAnonymousFunctionDefinition(node.expression);
    case 'ArrowFunctionExpression':
      return true;
    case 'FunctionExpression':
    case 'ClassExpression':
      return !node.id;
    default:
      return false;
  }
}

function mayHaveAnonymousDefault(code: string): boolean {
  for (const m of code.matchAll(EXPORT_DEFAULT)) {
    if (!NOT_ANONYMOUS.test(code.slice(m.index + m[0].length, m.index + m[0].length + 200))) return true;
  }
  return false;
}

/**
 * Rewrites the module's anonymous default export, or returns null when it has none.
 * @example
 * rewriteDefaultExport('export default class {}\n', 'a.js')?.code
 * // 'export default ({ default: class {} }).default;\n'
 */
export async function rewriteDefaultExport(code: string, filename: string): Promise<DefaultExportRewrite | null> {
  if (!mayHaveAnonymousDefault(code)) return null;
  const { program } = (await loadOxcParser()).parseSync(filename + '.js', code, { lang: 'js', sourceType: 'module' });
  const node = (program.body as unknown as Node[]).find((n) => n.type === 'ExportDefaultDeclaration');
  const decl = node?.declaration;
  if (!decl) return null;
  const s = new MagicString(code);
  let hoistedFunction = false;
  if (decl.type === 'FunctionDeclaration' && !decl.id) {
    const keyword = FUNCTION_KEYWORD.exec(code.slice(decl.start, decl.end));
    if (!keyword) return null;
    s.appendLeft(decl.start + keyword[0].length, ` ${DEFAULT_FUNCTION_NAME}`);
    hoistedFunction = true;
  } else if ((decl.type === 'ClassDeclaration' && !decl.id) || isAnonymousFunctionDefinition(decl)) {
    s.appendLeft(decl.start, '({ default: ');
    s.appendRight(decl.end, decl.type === 'ClassDeclaration' ? ' }).default;' : ' }).default');
  } else {
    return null;
  }
  return { code: s.toString(), map: s.generateMap({ hires: true, source: filename }), hoistedFunction };
}

/** Names the hoisted default function "default"; must run before anything can call it. */
export const defaultNameFix = `Object.defineProperty(${DEFAULT_FUNCTION_NAME}, "name", { value: "default", configurable: true });`;

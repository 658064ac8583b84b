/**
 * Keeps `$state` across hot updates: a rewrite of the compiler's output.
 *
 * Svelte 5's own HMR (`$.hmr`) re-creates an edited component from scratch, so a counter
 * goes back to 0 on every template edit (sveltejs/svelte#14434, open). We do what React Fast
 * Refresh does for `useState`: the new version of a component starts from the old
 * version's state values.
 *
 * The dev compiler names every state declaration (`let count = $.tag($.state(0), 'count')`,
 * `let items = $.tag_proxy($.proxy([]), 'items')`). This rewrite wraps those initialisers
 * of the component function's *own* top-level declarations in a call to the state keeper
 * (src/client/stateKeeper.js) with
 *  - a holder object that identifies the instance across versions: the component's props
 *    object (`$$props`), which Svelte's HMR wrapper passes unchanged to every version of
 *    one instance, and which a new instance (a new `{#if}` branch, an `{#each}` item) never
 *    shares; for a `.svelte.js`/`.svelte.ts` module, its `import.meta.hot.data`;
 *  - the label, and a signature: a hash of the initialiser's code. Editing `$state(0)` to
 *    `$state(10)` changes the signature, so that one variable starts over (the edit says
 *    "I want a different initial value"); every other variable keeps its value.
 * `$derived` values are recomputed, never kept. State in classes and nested functions is
 * not touched: several objects share one label there.
 * The edits go into the one MagicString of rewriteCompiled.ts, which also maps them.
 */
import { createHash } from 'node:crypto';
import type MagicString from 'magic-string';
import type { AstNode as Node } from './rewriteCompiled.js';

/** Specifier of the state keeper module (resolved by the plugin to a virtual module). */
export const STATE_KEEPER_SPECIFIER = 'virtual:@devserver/svelte/state';
const KEEPER = '$$devserver_state';

/**
 * Wraps the state declarations of a compiled component (`holder: 'component'`) or module
 * (`'module'`) in calls to the state keeper, and imports it. Returns whether it changed
 * anything.
 * @example
 * // function App($$anchor, $$props) { let n = $.tag($.state(0), 'n'); ... } becomes
 * // function App($$anchor, $$props) { let n = $$devserver_state.state($$props, "n", "<sig>", $.tag($.state(0), 'n')); ... }
 */
export function keepStateEdits(body: Node[], code: string, out: MagicString, holder: 'component' | 'module'): boolean {
  const statements = holder === 'component' ? componentBody(body) : topLevel(body);
  if (!statements) return false;
  const holderCode = holder === 'component' ? '$$props' : '(import.meta.hot ? import.meta.hot.data : undefined)';
  let changed = false;
  for (const statement of statements) {
    for (const init of initialisers(statement)) {
      const kept = keptState(init);
      if (!kept) continue;
      const signature = createHash('sha1').update(code.slice(kept.value.start, kept.value.end)).digest('base64url').slice(0, 8);
      out.appendLeft(init.start, `${KEEPER}.${kept.kind}(${holderCode}, ${JSON.stringify(kept.label)}, ${JSON.stringify(signature)}, `);
      out.appendRight(init.end, ')');
      changed = true;
    }
  }
  if (changed) out.append(`\nimport * as ${KEEPER} from ${JSON.stringify(STATE_KEEPER_SPECIFIER)};\n`);
  return changed;
}

/** The statements of the component function: `function App($$anchor, $$props) { ... }`. */
function componentBody(body: Node[]): Node[] | null {
  for (const statement of body) {
    const fn = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? (statement.declaration as Node | null) : statement;
    if (fn?.type !== 'FunctionDeclaration') continue;
    const params = fn.params as Node[];
    if (isIdentifier(params[0], '$$anchor') && isIdentifier(params[1], '$$props')) {
      return ((fn.body as Node).body as Node[]) ?? null;
    }
  }
  return null;
}

/** Top-level statements of a module, with `export` declarations unwrapped. */
function topLevel(body: Node[]): Node[] {
  return body.map((statement) => (statement.type === 'ExportNamedDeclaration' && statement.declaration ? (statement.declaration as Node) : statement));
}

function initialisers(statement: Node): Node[] {
  if (statement.type !== 'VariableDeclaration') return [];
  const declarators = statement.declarations as Node[];
  return declarators.flatMap((d) => (isIdentifier(d.id as Node, null) && d.init ? [d.init as Node] : []));
}

/**
 * `$.tag($.state(x), 'label')` -> kind 'state' (a signal: its value is copied);
 * `$.tag_proxy($.proxy(x), 'label')` -> kind 'proxy' (the old proxy object is reused).
 */
function keptState(init: Node): { kind: 'state' | 'proxy'; label: string; value: Node } | null {
  if (init.type !== 'CallExpression') return null;
  const [value, label] = init.arguments as Node[];
  if (!value || !label || label.type !== 'Literal' || typeof label.value !== 'string') return null;
  if (isMember(init.callee as Node, 'tag') && value.type === 'CallExpression' && isMember(value.callee as Node, 'state')) {
    return { kind: 'state', label: label.value, value };
  }
  if (isMember(init.callee as Node, 'tag_proxy') && value.type === 'CallExpression' && isMember(value.callee as Node, 'proxy')) {
    return { kind: 'proxy', label: label.value, value };
  }
  return null;
}

/** `$.<name>`: the compiler's namespace import of svelte/internal/client. */
function isMember(node: Node, name: string): boolean {
  if (node.type !== 'MemberExpression' || node.computed) return false;
  return isIdentifier(node.object as Node, '$') && isIdentifier(node.property as Node, name);
}

export function isIdentifier(node: Node | undefined, name: string | null): boolean {
  return !!node && node.type === 'Identifier' && (name === null || node.name === name);
}

/**
 * Makes the compiler's accept callback safe for an update that failed to load.
 *
 * Svelte writes `import.meta.hot.accept((module) => { ...; App[$.HMR].update(module.default); })`.
 * devserver calls an accept callback with `undefined` when the new version could not be
 * fetched or evaluated (hmr-spec section 2: it shows the overlay with the cause and keeps the
 * page). The unguarded callback would then throw a second, unrelated TypeError ("Cannot read
 * properties of undefined (reading 'default')"). The guard makes it keep the current
 * version instead; the next good update reaches the same callback and applies.
 * The guard goes on the callback's first line, so no line moves.
 */
import type MagicString from 'magic-string';
import { isIdentifier } from './preserveState.js';
import type { AstNode as Node } from './rewriteCompiled.js';

/**
 * Adds `if (!module) return;` to each accept callback in `if (import.meta.hot) { ... }`.
 * Returns whether it found one.
 * @example
 * // import.meta.hot.accept((module) => { App[$.HMR].update(module.default); }) becomes
 * // import.meta.hot.accept((module) => { if (!module) return; App[$.HMR].update(module.default); })
 */
export function acceptGuardEdits(body: Node[], out: MagicString): boolean {
  let found = false;
  for (const statement of body) {
    if (statement.type !== 'IfStatement' || !isImportMetaHot(statement.test as Node)) continue;
    const block = statement.consequent as Node;
    for (const inner of block.type === 'BlockStatement' ? (block.body as Node[]) : [block]) {
      const call = inner.type === 'ExpressionStatement' ? (inner.expression as Node) : null;
      if (call?.type !== 'CallExpression' || !isHotAccept(call.callee as Node)) continue;
      const callback = (call.arguments as Node[])[0];
      if (callback?.type !== 'ArrowFunctionExpression' && callback?.type !== 'FunctionExpression') continue;
      const param = (callback.params as Node[])[0];
      const fnBody = callback.body as Node;
      if (!param || !isIdentifier(param, null) || fnBody.type !== 'BlockStatement') continue;
      out.appendLeft(fnBody.start + 1, ` if (!${String(param.name)}) return;`);
      found = true;
    }
  }
  return found;
}

/** `import.meta.hot` */
function isImportMetaHot(node: Node): boolean {
  return node.type === 'MemberExpression' && (node.object as Node).type === 'MetaProperty' && isIdentifier(node.property as Node, 'hot');
}

/** `import.meta.hot.accept` */
function isHotAccept(node: Node): boolean {
  return node.type === 'MemberExpression' && isImportMetaHot(node.object as Node) && isIdentifier(node.property as Node, 'accept');
}

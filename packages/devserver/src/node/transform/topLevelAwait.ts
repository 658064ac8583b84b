/**
 * Does a program await at its top level? oxc-parser reports imports and exports but not
 * this, and the runtime needs it to start async siblings concurrently as ESM does. Walks the
 * AST without entering functions; only called when the text contains "await" at all.
 */
const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'MethodDefinition',
  'PropertyDefinition',
  'StaticBlock',
]);

interface Node {
  type?: unknown;
  await?: unknown;
}

export function hasTopLevelAwait(program: unknown): boolean {
  const stack: unknown[] = [program];
  while (stack.length) {
    const value = stack.pop();
    if (!value || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    const node = value as Node & Record<string, unknown>;
    if (node.type === 'AwaitExpression') return true;
    if (node.type === 'ForOfStatement' && node.await === true) return true;
    if (typeof node.type === 'string' && FUNCTION_TYPES.has(node.type)) continue;
    for (const key in node) {
      if (key === 'parent') continue;
      const child = node[key];
      if (child && typeof child === 'object') stack.push(child);
    }
  }
  return false;
}

/** Source lines around a location with a caret under the column: the code frame. */

/**
 * @param line 1-based line
 * @param column 1-based column
 * @example codeFrame('let a = ;', 1, 9) // "> 1 | let a = ;\n    |         ^"
 */
export function codeFrame(source: string, line: number, column: number, context = 2): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = (lines[n - 1] ?? '').replace(/\t/g, '  ');
    const gutter = String(n).padStart(width);
    out.push(`${n === line ? '>' : ' '} ${gutter} | ${text}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}

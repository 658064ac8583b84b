// Imported by widget.ts.
export function helper(): string {
  return '(helper)';
}

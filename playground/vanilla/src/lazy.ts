// Loaded on demand by the "Load lazy module" button in main.ts.
export function lazyMessage(): string {
  return 'lazy module loaded';
}

// Nothing accepts this module, store.ts or main.ts: an edit reloads the page, and the
// console and the terminal say why and through which imports.
export const data = 'data v1';

// Only other.html loads this module: index.html tabs ignore its edits.
export const only = 'only v1';

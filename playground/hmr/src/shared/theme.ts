// Imported by src/self/themed.ts (index.html, self-accepting) and by src/other/main.ts
// (other.html, no boundary). Edit it with both pages open: each tab decides on its own.
export const theme = 'theme v1';

// Types for the non-script imports of this playground. `import.meta.hot` comes from
// packages/devserver/client.d.ts (tsconfig "include").
declare module '*.module.css' {
  const classes: Record<string, string>;
  export default classes;
}
declare module '*.css';
declare module '*.svg' {
  const url: string;
  export default url;
}
declare module '*?url' {
  const url: string;
  export default url;
}
declare module '*?raw' {
  const source: string;
  export default source;
}

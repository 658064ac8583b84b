// Types for asset imports. `import.meta.hot` and `import.meta.env` come from
// "devserver/client" (tsconfig "types").
declare module '*.svg' {
  const url: string;
  export default url;
}
declare module '*?raw' {
  const source: string;
  export default source;
}

/**
 * A component's CSS as a module of its own: `./App.svelte?svelte&type=style&lang.css`
 * (Vite's naming for a single-file component's style block), imported by the compiled
 * component.
 *
 * Why a separate module: the component's scoping class depends on its file name only
 * (compileSvelte.ts), so a style-only edit changes this module and not the component's JS.
 * devserver rebuilds both modules of the file, finds the component unchanged and sends only
 * this one; it accepts itself and rewrites its `<style>` element in place. The component
 * is not re-run, so its state and DOM are untouched, and the page never reloads.
 *
 * How it flows through devserver: the id has a file (the `.svelte` file, so the file gate
 * and the watcher apply as to any module), the plugin's `load` answers with the CSS text,
 * and its `transform` turns that text into this JS (a transform that changes a non-script
 * file's text makes it a script). The style element is kept in `import.meta.hot.data`, so
 * every version of the module updates the same element; `prune` removes it when no
 * component imports the styles any more.
 */

/** The query that marks a component's style module. */
export const STYLE_QUERY = '?svelte&type=style&lang.css';

/** Whether a plugin id (absolute path plus query) is a component's style module. */
export function isStyleId(id: string): boolean {
  return id.endsWith(STYLE_QUERY) && id.slice(0, -STYLE_QUERY.length).endsWith('.svelte');
}

/** The component file a style module belongs to. */
export function componentFileOf(styleId: string): string {
  return styleId.slice(0, -STYLE_QUERY.length);
}

/**
 * The import the compiled component gets for its styles, relative to itself so that no
 * absolute path is written into served code.
 * @example styleImport('/app/src/App.svelte') // 'import "./App.svelte?svelte&type=style&lang.css";'
 */
export function styleImport(componentFile: string): string {
  const base = componentFile.slice(componentFile.replace(/\\/g, '/').lastIndexOf('/') + 1);
  return `import ${JSON.stringify(`./${base}${STYLE_QUERY}`)};`;
}

/**
 * The style module's code. The `<style>` element carries the module's URL path in
 * `data-svelte-style`, which also lets tests and devtools find it.
 * @example styleModuleSource('.a.svelte-x{color:red}')
 */
export function styleModuleSource(css: string): string {
  return [
    `const css = ${JSON.stringify(css)};`,
    'const hot = import.meta.hot;',
    'let style = hot && hot.data.style;',
    'if (!style || !style.isConnected) {',
    "  style = document.createElement('style');",
    "  style.setAttribute('data-svelte-style', new URL(import.meta.url).pathname);",
    '  document.head.appendChild(style);',
    '}',
    'if (style.textContent !== css) style.textContent = css;',
    'if (hot) {',
    '  hot.data.style = style;',
    '  hot.accept();',
    '  hot.prune(() => style.remove());',
    '}',
    'export default css;',
    '',
  ].join('\n');
}

/**
 * Which pipeline a module id goes through, and the small ES modules that non-script files
 * become (CSS, CSS modules, JSON, assets, `?raw`, `?url`). Those modules are then
 * transformed like any script, so the runtime only ever sees one factory format.
 */
import path from 'node:path';
import type { ModuleKind } from '../../shared/protocol.js';
import { SCRIPT_EXTENSIONS } from '../resolve/resolver.js';

export type ModuleFormat = 'script' | 'css' | 'css-module' | 'json' | 'asset' | 'raw' | 'url';

export const CSS_HELPER_ID = '/@devserver/css';

const ASSET_EXTENSIONS = new Set([
  '.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.avif', '.ico', '.bmp',
  '.woff', '.woff2', '.ttf', '.otf', '.eot',
  '.mp4', '.webm', '.ogg', '.mp3', '.wav', '.flac', '.aac',
  '.pdf', '.txt', '.wasm', '.webmanifest',
]);

/** The format of a module id such as `/src/a.ts`, `/src/a.svg?raw`, `/src/a.png?url`. */
export function formatOf(id: string): ModuleFormat | null {
  const [pathname, query = ''] = id.split('?');
  const params = new URLSearchParams(query);
  if (params.has('raw')) return 'raw';
  if (params.has('url')) return 'url';
  const ext = path.extname(pathname).toLowerCase();
  if (SCRIPT_EXTENSIONS.includes(ext) || ext === '.cjs') return 'script';
  if (ext === '.css') return /\.module\.css$/i.test(pathname) ? 'css-module' : 'css';
  if (ext === '.json') return 'json';
  if (ASSET_EXTENSIONS.has(ext)) return 'asset';
  return null;
}

/** The kind an update manifest reports for a module of this format. */
export function kindOf(format: ModuleFormat): ModuleKind {
  if (format === 'css' || format === 'css-module') return 'css';
  if (format === 'asset' || format === 'url') return 'asset';
  return 'js';
}

export function scriptLang(file: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.tsx') return 'tsx';
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'ts';
  if (ext === '.jsx') return 'jsx';
  return 'js';
}

/** A CSS file imported from JS: injects its text and updates it in place on change. */
export function cssModuleSource(id: string, css: string): string {
  const idLiteral = JSON.stringify(id);
  return [
    // The runtime removes the style itself when the module is pruned.
    `import { updateStyle } from ${JSON.stringify(CSS_HELPER_ID)};`,
    `const css = ${JSON.stringify(css)};`,
    `updateStyle(${idLiteral}, css);`,
    `if (import.meta.hot) import.meta.hot.accept();`,
    `export default css;`,
  ].join('\n');
}

/**
 * A CSS module (`*.module.css`): injects its scoped CSS like plain CSS and exports the
 * class-name map as default and as named exports (names that are valid identifiers).
 * hmr-spec section 3: when an edit leaves the map unchanged only the CSS is swapped (the
 * module accepts itself); otherwise its accept callback invalidates, so the update goes
 * on to the importers, which read the new names. The old instance's callback compares its
 * own map (closed over, the same value its importers hold) with the new module's.
 * @example
 * scopedCssModuleSource('/src/a.module.css', '.a_x_t{}', { t: 'a_x_t' });
 */
export function scopedCssModuleSource(id: string, css: string, classes: Record<string, string>): string {
  const idLiteral = JSON.stringify(id);
  const lines = [
    // The runtime removes the style itself when the module is pruned.
    `import { updateStyle } from ${JSON.stringify(CSS_HELPER_ID)};`,
    `const css = ${JSON.stringify(css)};`,
    `const classes = ${JSON.stringify(classes)};`,
    `updateStyle(${idLiteral}, css);`,
    `if (import.meta.hot) {`,
    `  const key = (map) => JSON.stringify(Object.entries(map ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));`,
    `  import.meta.hot.accept((next) => {`,
    `    if (next && key(next.default) !== key(classes)) import.meta.hot.invalidate('class names changed');`,
    `  });`,
    `}`,
    `export default classes;`,
  ];
  for (const name of Object.keys(classes)) {
    if (isExportableName(name)) lines.push(`export const ${name} = classes[${JSON.stringify(name)}];`);
  }
  return lines.join('\n');
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval'.split(' '),
);

/** Whether `name` can be a named export declared with `export const`. */
function isExportableName(name: string): boolean {
  return IDENTIFIER.test(name) && !RESERVED.has(name);
}

/** JSON as a module: the value as default, and its top-level keys as named exports. */
export function jsonModuleSource(json: string): string {
  const value: unknown = JSON.parse(json);
  const lines = [`const data = ${JSON.stringify(value)};`, 'export default data;'];
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      if (isExportableName(key)) lines.push(`export const ${key} = data[${JSON.stringify(key)}];`);
    }
  }
  return lines.join('\n');
}

export function stringModuleSource(value: string): string {
  return `export default ${JSON.stringify(value)};`;
}

/**
 * Specifier -> module id, the way the payload says (`deps`, `dynamicDeps`) with URL
 * resolution against the importing module for anything else. Bare specifiers that the
 * server did not resolve cannot be resolved here (no import map), as in Chromium.
 */
import type { ModulePayload } from '../shared/protocol.js';

const URL_BASE = 'http://devserver.invalid';

/** True for `./x`, `../x`, `/x` (and full URLs): specifiers a browser can resolve. */
export function isResolvableSpecifier(spec: string): boolean {
  return /^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(spec);
}

/** The id (URL path, with query) `spec` names relative to module `fromId`, or null if bare. */
export function resolveRelative(spec: string, fromId: string): string | null {
  if (!isResolvableSpecifier(spec)) return null;
  const url = new URL(spec, URL_BASE + fromId);
  if (url.origin !== URL_BASE) return null;
  return url.pathname + url.search;
}

/** The id a static or literal dynamic specifier of `payload` links to, or null. */
export function resolveSpecifier(payload: ModulePayload, spec: string): string | null {
  return payload.deps[spec] ?? payload.dynamicDeps[spec] ?? resolveRelative(spec, payload.id);
}

// What the server's resolver tries for a path without a known file (resolve/resolver.ts):
// extensions, `index` files, and `.js` written for a `.ts` file.
const PROBE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.js', '.jsx', '.mjs', '.json', '.css'];
const TS_FOR_JS: ReadonlyArray<[string, string[]]> = [
  ['.js', ['.ts', '.tsx']],
  ['.jsx', ['.tsx']],
  ['.mjs', ['.mts']],
];

/**
 * The module `payload` imports that `id` (a specifier resolved as a URL) names, the way the
 * server resolved that import: `accept('./dep')` must name the module imported as
 * `'./dep.ts'` (hmr-spec.md: accept specifiers are resolved like imports). The runtime
 * cannot probe the disk, but accept only takes direct dependencies, so matching the ids
 * the payload imports against the resolver's candidates is enough. Returns `id` itself if
 * no import matches.
 */
export function importedIdFor(payload: ModulePayload, id: string): string {
  const imported = new Set([...Object.values(payload.deps), ...Object.values(payload.dynamicDeps)]);
  if (imported.has(id)) return id;
  const at = id.indexOf('?');
  const [path, query] = at === -1 ? [id, ''] : [id.slice(0, at), id.slice(at)];
  const candidates = [
    ...PROBE_EXTENSIONS.map((ext) => path + ext),
    ...PROBE_EXTENSIONS.map((ext) => `${path.replace(/\/$/, '')}/index${ext}`),
    ...TS_FOR_JS.flatMap(([js, ts]) => (path.endsWith(js) ? ts.map((ext) => path.slice(0, -js.length) + ext) : [])),
  ];
  return candidates.map((c) => c + query).find((c) => imported.has(c)) ?? id;
}

/** Chromium's message for a bare specifier nobody mapped. */
export function bareSpecifierError(spec: string): TypeError {
  return new TypeError(
    `Failed to resolve module specifier "${spec}". Relative references must start with either "/", "./", or "../".`,
  );
}

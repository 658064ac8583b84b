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

/** Chromium's message for a bare specifier nobody mapped. */
export function bareSpecifierError(spec: string): TypeError {
  return new TypeError(
    `Failed to resolve module specifier "${spec}". Relative references must start with either "/", "./", or "../".`,
  );
}

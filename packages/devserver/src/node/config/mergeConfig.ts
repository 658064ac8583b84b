/**
 * Deep merge of two user configs, `override` winning: plain objects merge key by key,
 * `undefined` never overrides, `plugins` lists are concatenated (file plugins first, then
 * those passed to createServer), other arrays and non-plain objects (a logger, an http
 * server, a Buffer) are replaced whole.
 */
import { isPlainObject } from './configSchema.js';
import type { UserConfig } from './types.js';

/**
 * @example
 * mergeConfig({ server: { port: 3000, open: true } }, { server: { port: 4000 } })
 * // { server: { port: 4000, open: true } }
 */
export function mergeConfig(base: UserConfig, override: UserConfig): UserConfig {
  return mergeObjects(base as Record<string, unknown>, override as Record<string, unknown>, true) as UserConfig;
}

function mergeObjects(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
  topLevel: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const existing = out[key];
    if (topLevel && key === 'plugins' && Array.isArray(existing) && Array.isArray(value)) {
      out[key] = [...(existing as unknown[]), ...(value as unknown[])];
    } else if (isPlainObject(existing) && isPlainObject(value)) {
      out[key] = mergeObjects(existing, value, false);
    } else {
      out[key] = value;
    }
  }
  return out;
}

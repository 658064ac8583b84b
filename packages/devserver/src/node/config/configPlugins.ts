/**
 * The plugin side of config resolution: flatten and order the plugin list (falsy entries
 * dropped; `enforce: 'pre'`, then normal, then `'post'`, stable within each group) and run
 * the `config` and `configResolved` hooks in that order. A hook that throws becomes an
 * `ERR_PLUGIN` error naming the plugin and the hook.
 */
import { DevServerError, isDevServerError } from '../errors.js';
import type { Plugin } from '../plugins/types.js';
import { mergeConfig } from './mergeConfig.js';
import type { ResolvedConfig, UserConfig } from './types.js';

/**
 * @example sortPlugins([post, false, normal, pre]) // [pre, normal, post]
 */
export function sortPlugins(list: unknown[] | undefined): Plugin[] {
  const flat: Plugin[] = [];
  const visit = (entries: unknown[]): void => {
    for (const entry of entries) {
      if (Array.isArray(entry)) visit(entry);
      else if (entry) flat.push(entry as Plugin);
    }
  };
  visit(list ?? []);
  const rank = (p: Plugin): number => (p.enforce === 'pre' ? 0 : p.enforce === 'post' ? 2 : 1);
  return flat.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map(({ p }) => p);
}

/** Runs each plugin's `config` hook; a returned object is merged over the config. */
export async function runConfigHooks(plugins: Plugin[], config: UserConfig, mode: string): Promise<UserConfig> {
  let current = config;
  for (const plugin of plugins) {
    if (!plugin.config) continue;
    let result: UserConfig | void | null;
    try {
      result = await plugin.config(current, { mode, command: 'serve' });
    } catch (error) {
      throw hookError(plugin, 'config', error);
    }
    if (result && typeof result === 'object') current = mergeConfig(current, result);
  }
  return current;
}

/** Runs each plugin's `configResolved` hook, in order. */
export async function runConfigResolvedHooks(config: ResolvedConfig): Promise<void> {
  for (const plugin of config.plugins) {
    if (!plugin.configResolved) continue;
    try {
      await plugin.configResolved(config);
    } catch (error) {
      throw hookError(plugin, 'configResolved', error);
    }
  }
}

function hookError(plugin: Plugin, hook: string, error: unknown): DevServerError {
  if (isDevServerError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DevServerError('ERR_PLUGIN', `plugin ${plugin.name} failed in its ${hook} hook: ${message}`, {
    plugin: plugin.name,
    hint: `this comes from the plugin "${plugin.name}"; check its options or report it to its authors`,
    cause: error,
  });
}

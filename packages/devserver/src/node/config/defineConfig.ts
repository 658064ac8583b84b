/**
 * `defineConfig()`: an identity function whose only job is to give `devserver.config.ts`
 * types and editor completion, as in Vite. It does nothing at run time.
 */
import type { UserConfig } from './types.js';

/** What a config function receives: the mode and the command (always `serve` for now). */
export interface ConfigEnv {
  mode: string;
  command: 'serve';
}

/** A config object, or a function (sync or async) that returns one. */
export type UserConfigExport = UserConfig | ((env: ConfigEnv) => UserConfig | Promise<UserConfig>);

/**
 * Types a config for `devserver.config.ts`; returns its argument unchanged.
 *
 * @example
 * ```ts
 * // devserver.config.ts
 * import { defineConfig } from 'devserver';
 *
 * export default defineConfig(({ mode }) => ({
 *   server: { port: 3000 },
 *   define: { __DEV__: JSON.stringify(mode === 'development') },
 * }));
 * ```
 */
export function defineConfig(config: UserConfig): UserConfig;
export function defineConfig(
  config: (env: ConfigEnv) => UserConfig | Promise<UserConfig>,
): (env: ConfigEnv) => UserConfig | Promise<UserConfig>;
export function defineConfig(config: UserConfigExport): UserConfigExport;
export function defineConfig(config: UserConfigExport): UserConfigExport {
  return config;
}

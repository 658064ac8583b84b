/** The config area's public surface, re-exported from src/node/index.ts. */
export { defineConfig, type ConfigEnv, type UserConfigExport } from './defineConfig.js';
export { resolveConfig } from './resolveConfig.js';
export { loadEnv } from './loadEnv.js';
export { mergeConfig } from './mergeConfig.js';
export type { UserConfig, ResolvedConfig, ServerOptions, ProxyOptions } from './types.js';

/**
 * devserver's public API. Everything a user or a plugin author needs is exported here by
 * name; anything else is internal and may change.
 */
export { createServer, type DevServer, type CreateServerOptions } from './server.js';
export { defineConfig } from './config/defineConfig.js';
export { resolveConfig } from './config/resolveConfig.js';
export { loadEnv } from './config/loadEnv.js';
export type { UserConfig, ResolvedConfig, ServerOptions, ProxyOptions, BackendOptions } from './config/types.js';
export type { Backend } from './backend/createBackend.js';
export type {
  Plugin,
  PluginContext,
  HmrContext,
  TransformResult,
  HtmlTagDescriptor,
  IndexHtmlTransformContext,
} from './plugins/types.js';
export type { HotClient, HotListener } from './hmr/hotChannel.js';
export { createLogger, type Logger, type LogLevel } from './logger.js';
export { DevServerError, type DevServerErrorCode } from './errors.js';
export type { ErrorPayload, ModulePayload, ServerMessage, ClientMessage, ChangedModule } from '../shared/protocol.js';

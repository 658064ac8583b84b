/** The shape of `devserver.config.ts` and of `createServer(options)`. */
import type { Plugin } from '../plugins/types.js';
import type { Logger, LogLevel } from '../logger.js';
import type { Server as HttpServer } from 'node:http';

export interface ServerOptions {
  /** Port to listen on. Default 5173; a taken port moves to the next unless `strictPort`. */
  port?: number;
  /** `localhost` by default. `true` or `'0.0.0.0'` exposes the server on the network. */
  host?: string | boolean;
  strictPort?: boolean;
  open?: boolean | string;
  /** Extra Host header values to answer (`localhost`, `*.localhost` and IPs always are). */
  allowedHosts?: string[] | true;
  /** CORS: off by default. `true` allows loopback origins; an object lists origins. */
  cors?: boolean | { origin: string | string[] };
  https?: { key: string | Buffer; cert: string | Buffer };
  proxy?: Record<string, string | ProxyOptions>;
  fs?: {
    /** Roots files may be served from. Default: the workspace holding the project. */
    allow?: string[];
    /** Extra deny patterns (globs) on top of the built-in list. */
    deny?: string[];
  };
  /** Chokidar options override (e.g. polling). */
  watch?: { usePolling?: boolean; interval?: number; ignored?: string[] };
  /** Show the in-page error overlay. Default true. */
  overlay?: boolean;
}

export interface ProxyOptions {
  target: string;
  changeOrigin?: boolean;
  ws?: boolean;
  rewrite?: (path: string) => string;
}

/**
 * A Node backend run beside the app (`devserver --backend src/server.ts`): built with
 * esbuild, restarted on change without closing its port, proxied under `/api`.
 */
export interface BackendOptions {
  /** The backend's entry file, relative to the root, e.g. `server/index.ts`. */
  entry: string;
  /** Extra environment variables of the backend process (devserver sets `PORT`). */
  env?: Record<string, string>;
  /** Arguments the backend gets (`process.argv.slice(2)`). */
  args?: string[];
  /** Path prefixes proxied to the backend. Default `/api`; `false` proxies nothing. */
  proxy?: string | string[] | false;
  /** Port of the backend on 127.0.0.1. Default 0: a free port. */
  port?: number;
}

export interface UserConfig {
  /** Project root (holds index.html). Default: the current directory. */
  root?: string;
  /** Public path the app is served under. Default `/`. */
  base?: string;
  mode?: string;
  /** Directory served as is at `/`. Default `<root>/public`; `false` turns it off. */
  publicDir?: string | false;
  /** Global constant replacements, as in esbuild/Vite (`{ __APP__: '"x"' }`). */
  define?: Record<string, string>;
  /** Import aliases: `{ '@': '/src' }` (also read from tsconfig `paths`). */
  resolve?: { alias?: Record<string, string>; conditions?: string[] };
  /** Prefixes of env variables exposed on import.meta.env. */
  envPrefix?: string | string[];
  server?: ServerOptions;
  plugins?: Array<Plugin | false | null | undefined>;
  /** Where pre-bundled dependencies are cached. Default `<root>/node_modules/.devserver`. */
  cacheDir?: string;
  optimizeDeps?: { include?: string[]; exclude?: string[]; force?: boolean };
  logLevel?: LogLevel;
  /** Run inside another server (Express); see the README. */
  middlewareMode?: boolean;
  /** The embedding server, so the HMR websocket shares its port. */
  httpServer?: HttpServer;
  /** Path of a config file, or false to not load one. */
  configFile?: string | false;
  customLogger?: Logger;
  /** Trace the update path. */
  debug?: boolean;
  /** A Node backend to run, rebuild and hot-restart: its entry file, or options. */
  backend?: string | BackendOptions;
}

export interface ResolvedConfig {
  root: string;
  base: string;
  mode: string;
  publicDir: string | null;
  define: Record<string, string>;
  alias: Array<{ find: string; replacement: string }>;
  conditions: string[];
  envPrefix: string[];
  /** Values exposed as import.meta.env (MODE, DEV, PROD, BASE_URL, prefixed .env vars). */
  env: Record<string, string | boolean>;
  server: Required<Pick<ServerOptions, 'port' | 'strictPort' | 'overlay'>> &
    Omit<ServerOptions, 'port' | 'strictPort' | 'overlay' | 'fs'> & {
      host: string;
      fs: { allow: string[]; deny: string[] };
    };
  plugins: Plugin[];
  cacheDir: string;
  optimizeDeps: { include: string[]; exclude: string[]; force: boolean };
  logger: Logger;
  middlewareMode: boolean;
  httpServer?: HttpServer;
  /** Absolute path of the loaded config file, if any. */
  configFile?: string;
  /** Files whose change restarts the server (config file and its imports, .env files). */
  configDependencies: string[];
  debug: boolean;
  /** As given (entry relative to the root); resolved by `src/node/backend/backendOptions.ts`. */
  backend?: string | BackendOptions;
}

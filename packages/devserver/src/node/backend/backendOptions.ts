/**
 * `backend` as written in the config (`'server/index.ts'` or `{ entry, env, args, proxy,
 * port }`) -> the values the backend runs with: the entry as an absolute path that exists,
 * the proxied prefixes as a list (default `/api`), and the timings (not configurable by
 * users; tests shorten them).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BackendOptions } from '../config/types.js';
import { DevServerError } from '../errors.js';

export interface ResolvedBackendOptions {
  entry: string;
  env: Record<string, string>;
  args: string[];
  /** Path prefixes proxied to the backend; empty: none. */
  proxy: string[];
  port: number;
  host: string;
}

export interface BackendTiming {
  /** How long a new process may take to listen. */
  readyTimeoutMs: number;
  /** How long an old process's idle connection is kept before it is closed. */
  idleGraceMs: number;
  /** How long an old process may take to finish its requests. */
  drainTimeoutMs: number;
  /** Up this long, a process resets the crash backoff. */
  stableMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** How long a connection waits for a process when none serves. */
  holdTimeoutMs: number;
}

export const DEFAULT_TIMING: BackendTiming = {
  readyTimeoutMs: 30_000,
  idleGraceMs: 1000,
  drainTimeoutMs: 10_000,
  stableMs: 5000,
  backoffInitialMs: 100,
  backoffMaxMs: 5000,
  holdTimeoutMs: 30_000,
};

/**
 * @example
 * resolveBackendOptions('server/index.ts', '/app');
 * // { entry: '/app/server/index.ts', env: {}, args: [], proxy: ['/api'], port: 0, host: '127.0.0.1' }
 */
export function resolveBackendOptions(raw: string | BackendOptions, root: string): ResolvedBackendOptions {
  const options: BackendOptions = typeof raw === 'string' ? { entry: raw } : raw;
  const entry = path.resolve(root, options.entry);
  if (!fs.existsSync(entry) || !fs.statSync(entry).isFile()) {
    throw new DevServerError('ERR_CONFIG', `backend entry ${options.entry} does not exist (looked for ${entry})`, {
      file: entry,
      hint: 'pass the file that starts your server, relative to the root: devserver --backend server/index.ts',
    });
  }
  const proxy = options.proxy === false ? [] : [options.proxy ?? '/api'].flat().map((prefix) => (prefix.startsWith('/') || prefix.startsWith('^') ? prefix : `/${prefix}`));
  return { entry, env: { ...options.env }, args: [...(options.args ?? [])], proxy, port: options.port ?? 0, host: '127.0.0.1' };
}

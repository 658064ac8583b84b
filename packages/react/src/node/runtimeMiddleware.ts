/**
 * Serves the refresh runtime (`dist/client/refresh-runtime.js`, built by scripts/build.mjs)
 * at `/@react-refresh` as a native ES module. It is a fixed file of this package, read once;
 * no part of the URL selects a file, so it needs no path checks. Every other request goes on
 * with next(), so the middleware works standalone and inside Express.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIME_PATH } from './refreshTransform.js';

type Next = (error?: unknown) => void;

/** The package folder, whether this code runs from dist/ or from src/ (tests). */
export function packageDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** Absolute path of the built refresh runtime. */
export function runtimeFile(): string {
  return path.join(packageDir(), 'dist/client/refresh-runtime.js');
}

/**
 * @param file the runtime file (default: this package's build output)
 * @example
 * server.middlewares.use(refreshRuntimeMiddleware());
 */
export function refreshRuntimeMiddleware(file = runtimeFile()) {
  let cached: { code: string; etag: string } | null = null;
  const load = () => {
    if (!cached) {
      const code = fs.readFileSync(file, 'utf8');
      cached = { code, etag: `"${createHash('sha1').update(code).digest('base64url').slice(0, 16)}"` };
    }
    return cached;
  };
  return function serveReactRefreshRuntime(req: IncomingMessage, res: ServerResponse, next: Next): void {
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname !== RUNTIME_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const { code, etag } = load();
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Length', Buffer.byteLength(code));
    res.end(req.method === 'HEAD' ? undefined : code);
  };
}

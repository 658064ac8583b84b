/**
 * Files the browser asks for directly: the public dir (as is, at `/`), stylesheets linked
 * from HTML (served bundled, from the graph), and assets under the root (`<img src>`, CSS
 * `url()`, `?url` imports). Every read goes through the one file gate. Large files stream,
 * and `Range` requests are answered, so a 50 MB video neither buffers nor blocks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lookup } from 'mrmime';
import type { FileGate } from '../security/fileGate.js';
import type { ModuleLoader } from '../graph/moduleLoader.js';
import { formatOf } from '../transform/moduleKinds.js';
import type { Middleware } from './compose.js';
import { send, sendText, splitUrl } from './respond.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface StaticMiddlewareOptions {
  root: string;
  publicDir: string | null;
  gate: FileGate;
  loader: ModuleLoader;
}

export function staticMiddleware(options: StaticMiddlewareOptions): Middleware {
  const { root, publicDir, gate, loader } = options;

  async function tryFile(file: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const verdict = await gate.check(file);
    if (!verdict.ok) {
      if (verdict.reason === 'not-found') return false;
      sendText(res, 403, 'devserver: this file is not served (outside the allowed roots or on the deny list)');
      return true;
    }
    const stat = await fs.promises.stat(verdict.realPath);
    if (!stat.isFile()) return false;
    streamFile(req, res, verdict.realPath, stat);
    return true;
  }

  return async function serveStatic(req, res, next) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const { pathname } = splitUrl(req.url);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendText(res, 400, 'bad percent-encoding');
    }
    if (publicDir && (await tryFile(path.join(publicDir, decoded), req, res))) return;
    const format = formatOf(decoded);
    // Only stylesheets the gate lets through become graph nodes: a node per made-up URL
    // (`<link href="/x1.css">` from any site is a passive load) would grow memory without bound.
    if ((format === 'css' || format === 'css-module') && (await gate.checkUrlPath(root, decoded)).ok) {
      const node = await loader.load(decoded);
      if (node.cssText !== null) return send(req, res, node.cssText, { type: 'text/css; charset=utf-8' });
      if (node.error?.code === 'ERR_NOT_FOUND') return next();
      if (node.error) return sendText(res, node.error.code === 'ERR_FORBIDDEN' ? 403 : 500, node.error.message);
    }
    if (await tryFile(path.join(root, decoded), req, res)) return;
    next();
  };
}

function streamFile(req: IncomingMessage, res: ServerResponse, file: string, stat: fs.Stats): void {
  const etag = `W/"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
  res.setHeader('Content-Type', lookup(file) ?? 'application/octet-stream');
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Accept-Ranges', 'bytes');
  if (req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  let start = 0;
  let end = stat.size - 1;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && stat.size > 0) {
    start = range[1] ? Number(range[1]) : Math.max(0, stat.size - Number(range[2]));
    end = range[1] && range[2] ? Math.min(Number(range[2]), stat.size - 1) : stat.size - 1;
    if (start > end || start >= stat.size) {
      res.statusCode = 416;
      res.setHeader('Content-Range', `bytes */${stat.size}`);
      res.end();
      return;
    }
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${stat.size}`);
  }
  res.setHeader('Content-Length', end - start + 1);
  if (req.method === 'HEAD' || stat.size === 0) {
    res.end();
    return;
  }
  fs.createReadStream(file, { start, end }).on('error', () => res.destroy()).pipe(res);
}

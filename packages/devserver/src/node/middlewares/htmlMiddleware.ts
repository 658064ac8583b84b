/**
 * HTML pages: `/` and `/dir/` map to their index.html, `/page.html` to itself, and (not in
 * middleware mode) any other extensionless navigation falls back to `/index.html`, as SPAs
 * expect. The page is transformed by transformIndexHtml and plugins' transformIndexHtml.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileGate } from '../security/fileGate.js';
import type { Middleware } from './compose.js';
import { send, splitUrl } from './respond.js';

export interface HtmlMiddlewareOptions {
  root: string;
  gate: FileGate;
  spaFallback: boolean;
  /** Full transform of one page (runtime injection, entries, plugins). */
  transform(pagePath: string, html: string): Promise<string>;
}

export function htmlMiddleware(options: HtmlMiddlewareOptions): Middleware {
  const { root, gate } = options;

  async function readPage(pagePath: string): Promise<string | null> {
    const verdict = await gate.check(path.join(root, pagePath));
    if (!verdict.ok) return null;
    return fs.readFile(verdict.realPath, 'utf8');
  }

  return async function serveHtml(req, res, next) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const { pathname } = splitUrl(req.url);
    const candidates: string[] = [];
    if (pathname.endsWith('/')) candidates.push(pathname + 'index.html');
    else if (pathname.endsWith('.html')) candidates.push(pathname);
    else if (!path.posix.extname(pathname)) candidates.push(pathname + '.html', pathname + '/index.html');
    const accept = req.headers.accept ?? '';
    if (options.spaFallback && !path.posix.extname(pathname) && accept.includes('text/html')) candidates.push('/index.html');
    for (const pagePath of candidates) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(pagePath);
      } catch {
        return next();
      }
      const html = await readPage(decoded);
      if (html === null) continue;
      const body = await options.transform(decoded, html);
      send(req, res, body, { type: 'text/html; charset=utf-8' });
      return;
    }
    next();
  };
}

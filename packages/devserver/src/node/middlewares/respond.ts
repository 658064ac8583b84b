/** Small response helpers shared by the middlewares: ETags, 304s, typed bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';

export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
}

export interface SendOptions {
  type: string;
  etag?: string;
  /** `immutable` for versioned URLs, otherwise revalidate with the ETag. */
  cache?: 'immutable' | 'revalidate' | 'none';
  status?: number;
}

export function send(req: IncomingMessage, res: ServerResponse, body: string | Buffer, options: SendOptions): void {
  const etag = options.etag ?? etagOf(body);
  res.setHeader('Content-Type', options.type);
  res.setHeader('ETag', etag);
  res.setHeader(
    'Cache-Control',
    options.cache === 'immutable' ? 'public, max-age=31536000, immutable' : options.cache === 'none' ? 'no-store' : 'no-cache',
  );
  if (options.status === undefined && req.headers['if-none-match'] === etag) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = options.status ?? 200;
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
}

/** Path and query of a request, without touching the raw URL (the request-target check ran first). */
export function splitUrl(url: string | undefined): { pathname: string; search: string } {
  const raw = url ?? '/';
  const index = raw.indexOf('?');
  return index === -1 ? { pathname: raw, search: '' } : { pathname: raw.slice(0, index), search: raw.slice(index) };
}

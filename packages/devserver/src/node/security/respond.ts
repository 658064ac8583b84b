/**
 * The one way the security primitives answer a refused HTTP request: a short plain-text
 * body that never echoes request input as markup (`nosniff`, text/plain), not cached,
 * and safe to call after headers went out (it then just ends the response).
 */
import type { ServerResponse } from 'node:http';

export function sendPlainText(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = body.endsWith('\n') ? body : body + '\n';
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(payload));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  res.end(res.req?.method === 'HEAD' ? undefined : payload);
}

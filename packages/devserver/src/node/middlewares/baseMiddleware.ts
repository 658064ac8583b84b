/**
 * Apps served under a prefix (`base: '/app/'`): requests under the base have it stripped,
 * so every later middleware sees root-relative paths; `/app` redirects to `/app/`. Outside
 * the base, standalone answers 404 with the right URL; embedded, the host app gets them.
 */
import { CHAIN_DONE, type Middleware } from './compose.js';
import { sendText } from './respond.js';

export function baseMiddleware(base: string, middlewareMode: boolean): Middleware {
  const bare = base.slice(0, -1);
  return function stripBase(req, res, next) {
    const url = req.url ?? '/';
    if (url.startsWith(base)) {
      req.url = url.slice(bare.length);
      return next();
    }
    if (url === bare || url.startsWith(bare + '?')) {
      res.statusCode = 302;
      res.setHeader('Location', base + url.slice(bare.length).replace(/^\?/, '?'));
      res.end();
      return;
    }
    if (middlewareMode) return next(CHAIN_DONE);
    sendText(res, 404, `devserver: this app is served under ${base}; did you mean ${base}${url.replace(/^\//, '')}?`);
  };
}

/** Serves pre-bundled dependencies; their URLs carry the optimisation hash, so they are immutable. */
import { DEPS_PREFIX } from '../../shared/constants.js';
import type { DepOptimizer } from '../deps/depOptimizer.js';
import type { Middleware } from './compose.js';
import { send, splitUrl } from './respond.js';

export function depsMiddleware(deps: DepOptimizer): Middleware {
  return async function serveDeps(req, res, next) {
    const { pathname, search } = splitUrl(req.url);
    if (!pathname.startsWith(DEPS_PREFIX)) return next();
    const file = await deps.load(pathname);
    if (!file) return next();
    send(req, res, file.code, {
      type: 'text/javascript; charset=utf-8',
      etag: file.etag,
      cache: search.includes('v=') ? 'immutable' : 'revalidate',
    });
  };
}

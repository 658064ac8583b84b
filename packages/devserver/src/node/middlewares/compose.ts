/**
 * A connect-style middleware chain: each middleware handles the request or calls next().
 * The composed function is itself a middleware, so the same chain runs standalone and
 * inside Express (`app.use(devserver.middlewares)`), where the final next() goes back to
 * the host app.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type NextFunction = (error?: unknown) => void;

/** Passed to next() to leave the chain at once, as if its end was reached (not an error). */
export const CHAIN_DONE = Symbol('devserver.chainDone');
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void | Promise<void>;

export interface MiddlewareChain extends Middleware {
  /** Appends a middleware, optionally only for paths under `route`. */
  use(middleware: Middleware): MiddlewareChain;
  use(route: string, middleware: Middleware): MiddlewareChain;
}

export function createMiddlewareChain(): MiddlewareChain {
  const stack: Middleware[] = [];
  const chain = ((req, res, done) => {
    let index = 0;
    const next: NextFunction = (error) => {
      if (error === CHAIN_DONE) return done();
      if (error !== undefined) return done(error);
      const middleware = stack[index++];
      if (!middleware) return done();
      try {
        const result = middleware(req, res, next);
        if (result && typeof result.then === 'function') result.then(undefined, next);
      } catch (thrown) {
        next(thrown);
      }
    };
    next();
  }) as MiddlewareChain;
  chain.use = (routeOrMiddleware: string | Middleware, maybe?: Middleware) => {
    if (typeof routeOrMiddleware === 'function') {
      stack.push(routeOrMiddleware);
    } else {
      const route = routeOrMiddleware.replace(/\/$/, '');
      const middleware = maybe!;
      stack.push((req, res, next) => {
        const url = req.url ?? '/';
        if (url === route || url.startsWith(route + '/') || url.startsWith(route + '?')) return middleware(req, res, next);
        next();
      });
    }
    return chain;
  };
  return chain;
}

/**
 * Shared shapes for the security primitives. The middlewares are connect-style
 * (`(req, res, next) => void`) so the same function runs in devserver's own chain and
 * inside Express; `next()` is called exactly when the request passes the check.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type NextFunction = (error?: unknown) => void;

export type SecurityMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
) => void;

/** Result of validating a Host header: see `createHostCheck`. */
export type HostCheckResult = 'ok' | 'forbidden' | 'malformed';

export type HostCheck = (hostHeader: string | undefined) => HostCheckResult;

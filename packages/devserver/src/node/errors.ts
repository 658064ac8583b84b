/**
 * One error type for everything devserver reports to a person. The `code` says what kind
 * of failure it is; the optional location and frame feed the overlay and the terminal,
 * which both render from `toErrorPayload()` so they never disagree.
 */
import type { ErrorPayload } from '../shared/protocol.js';

export type DevServerErrorCode =
  | 'ERR_TRANSFORM'
  | 'ERR_SYNTAX'
  | 'ERR_UNRESOLVED_IMPORT'
  | 'ERR_DEP_NOT_INSTALLED'
  | 'ERR_DEP_OPTIMIZE'
  | 'ERR_PLUGIN'
  | 'ERR_CONFIG'
  | 'ERR_CONFIG_UNKNOWN_KEY'
  | 'ERR_PORT_IN_USE'
  | 'ERR_ROOT_MISSING'
  | 'ERR_ROOT_NOT_DIRECTORY'
  | 'ERR_NO_INDEX_HTML'
  | 'ERR_WATCH_LIMIT'
  | 'ERR_PERMISSION'
  | 'ERR_FORBIDDEN'
  | 'ERR_NOT_FOUND'
  | 'ERR_BACKEND_BUILD'
  | 'ERR_BACKEND_START'
  | 'ERR_BACKEND_CRASH';

export interface DevServerErrorDetails {
  id?: string;
  file?: string;
  loc?: { line: number; column: number };
  frame?: string;
  plugin?: string;
  hint?: string;
  importerChain?: string[];
  cause?: unknown;
}

export class DevServerError extends Error {
  readonly code: DevServerErrorCode;
  readonly details: DevServerErrorDetails;

  constructor(code: DevServerErrorCode, message: string, details: DevServerErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DevServerError';
    this.code = code;
    this.details = details;
  }
}

export function isDevServerError(value: unknown): value is DevServerError {
  return value instanceof DevServerError;
}

/** Turns any thrown value into what the overlay and terminal show. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (isDevServerError(error)) {
    const d = error.details;
    return {
      message: error.message,
      code: error.code,
      id: d.id,
      file: d.file,
      loc: d.loc,
      frame: d.frame,
      plugin: d.plugin,
      hint: d.hint,
      importerChain: d.importerChain,
    };
  }
  if (error instanceof Error) {
    return { message: error.message, code: 'ERR_INTERNAL', stack: error.stack };
  }
  return { message: String(error), code: 'ERR_INTERNAL' };
}

/** Node's errno-carrying errors, without `any`. */
export function errnoCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

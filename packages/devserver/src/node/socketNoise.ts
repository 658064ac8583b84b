/**
 * The one place socket noise is recognised: a browser that closes a tab mid-response is
 * normal, not an error worth a line in the terminal.
 */
import { errnoCode } from './errors.js';

const NOISE = new Set(['EPIPE', 'ECONNRESET', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'HPE_INVALID_EOF_STATE']);

export function isSocketNoise(error: unknown): boolean {
  const code = errnoCode(error);
  return code !== undefined && NOISE.has(code);
}

/**
 * Reading `server.listen(...)` arguments, for the bootstrap: which calls are a TCP listen
 * it should put on the shared socket, and what port the app asked for (for the log).
 */

/**
 * `listen()`, `listen(port, …)`, `listen('3000')`, `listen({ port })`: a TCP listen. Not a
 * unix socket path, an fd or a handle: those are left to the app.
 * @example isPortListen([3000, () => {}]) // true; isPortListen(['/tmp/app.sock']) // false
 */
export function isPortListen(args: unknown[]): boolean {
  const first = args[0];
  if (first === undefined || first === null || typeof first === 'function' || typeof first === 'number') return true;
  if (typeof first === 'string') return /^\d+$/.test(first);
  if (typeof first === 'object') {
    const o = first as Record<string, unknown>;
    return !('_handle' in o) && !('handle' in o) && !('fd' in o) && !('path' in o);
  }
  return false;
}

/** `port 3000`, or `any port` for `listen()` / `listen(0)`-like calls without a port. */
export function describeListen(args: unknown[]): string {
  const first = args[0];
  const port = typeof first === 'object' && first !== null ? (first as { port?: unknown }).port : first;
  return typeof port === 'number' || typeof port === 'string' ? `port ${port}` : 'any port';
}

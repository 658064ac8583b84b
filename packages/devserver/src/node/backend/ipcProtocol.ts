/**
 * The IPC contract between devserver (the parent) and a backend process (the child, run
 * with `backendBootstrap` preloaded). It is small on purpose: the child asks for the shared
 * listening socket when the app calls `listen()`, says when it is listening, and drains
 * when told to stop; the parent also hands over connections it accepted itself. Every
 * message type starts with `devserver:` so the app's own `process.send` traffic is left alone.
 */

/** Set in the child's environment; the bootstrap does nothing without it. */
export const BACKEND_ENV = 'DEVSERVER_BACKEND';

/** Child -> parent. */
export type ChildMessage =
  /** The app called `listen()`; `requested` is what it asked for (for the log line). */
  | { type: 'devserver:listen'; requested: string }
  /** The app's server is accepting on the shared socket. */
  | { type: 'devserver:ready'; port: number }
  /** Listening on the shared socket failed (the app's server emitted an error). */
  | { type: 'devserver:listen-failed'; message: string };

/** Parent -> child. */
export type ParentMessage =
  /** Comes with the shared listening `net.Server` as the IPC handle. */
  | { type: 'devserver:handle' }
  /** Comes with a `net.Socket` the parent accepted (paused, nothing read yet). */
  | { type: 'devserver:connection' }
  /** Stop accepting, finish in-flight requests, close idle connections, exit. */
  | { type: 'devserver:stop'; idleGraceMs: number; timeoutMs: number };

export function isChildMessage(value: unknown): value is ChildMessage {
  return isTagged(value) && ['devserver:listen', 'devserver:ready', 'devserver:listen-failed'].includes(value.type);
}

export function isParentMessage(value: unknown): value is ParentMessage {
  return isTagged(value) && ['devserver:handle', 'devserver:connection', 'devserver:stop'].includes(value.type);
}

function isTagged(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * One watcher serves both sides: each change set is split between the frontend (module
 * graph, HMR) and the backend (rebuild and restart) by who uses the file. A file the backend
 * is built from goes to the backend; a file the frontend has loaded goes to the frontend;
 * a file both use goes to both; any other file goes to the frontend, as without a backend
 * (new files, assets, pages). While the backend has no good build (its last build failed,
 * or none finished yet), its input list may be stale, so every change the frontend does not
 * claim goes to the backend too: a new file may be the one its import was missing.
 */
import type { FileChange } from '../watch/changeCoalescer.js';

export interface RouteContext {
  isBackendFile(file: string): boolean;
  isFrontendFile(file: string): boolean;
  /** True while the backend's input list cannot be trusted. */
  backendUnsure: boolean;
}

/**
 * @example
 * splitChanges([{ file: '/app/server/api.ts', kind: 'change', firstEventAt: 0 }], ctx)
 * // { frontend: [], backend: [that change] }
 */
export function splitChanges(changes: FileChange[], ctx: RouteContext): { frontend: FileChange[]; backend: FileChange[] } {
  const frontend: FileChange[] = [];
  const backend: FileChange[] = [];
  for (const change of changes) {
    const ofBackend = ctx.isBackendFile(change.file);
    const ofFrontend = ctx.isFrontendFile(change.file);
    if (ofBackend || (ctx.backendUnsure && !ofFrontend)) backend.push(change);
    if (ofFrontend || !ofBackend) frontend.push(change);
  }
  return { frontend, backend };
}

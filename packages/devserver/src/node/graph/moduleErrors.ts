/**
 * The errors a module build reports, in one place so the overlay and the terminal get the
 * same words: refused files, refused imports, unreadable files, and unresolved imports
 * pointed at their line in the importer.
 */
import { DevServerError, errnoCode, isDevServerError } from '../errors.js';
import { codeFrame } from '../transform/codeFrame.js';
import type { ModuleNode } from './moduleGraph.js';

export function refusedFile(node: ModuleNode, reason: 'denied' | 'outside-roots'): DevServerError {
  return new DevServerError('ERR_FORBIDDEN', `Refused to serve ${node.id}: it is ${reason === 'denied' ? 'on the deny list' : 'outside the allowed roots'}`, {
    id: node.id,
    hint: 'add its folder to server.fs.allow if it should be served',
  });
}

export function refusedImport(node: ModuleNode, importedId: string): DevServerError {
  return new DevServerError('ERR_FORBIDDEN', `Refused to serve ${node.id}: it imports ${importedId}, which is not served (outside the allowed roots or on the deny list)`, {
    id: node.id,
    file: node.file ?? undefined,
    hint: 'add its folder to server.fs.allow if it should be served',
  });
}

/** Gives an unresolved import the importer's line and a code frame. */
export function locate(error: unknown, spec: string, source: string, node: ModuleNode): unknown {
  if (!isDevServerError(error)) return error;
  const offset = Math.max(source.indexOf(`'${spec}'`), source.indexOf(`"${spec}"`));
  if (offset >= 0 && !error.details.loc) {
    const before = source.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    error.details.loc = { line, column };
    error.details.frame = codeFrame(source, line, column);
  }
  error.details.id ??= node.id;
  error.details.file ??= node.file ?? undefined;
  return error;
}

export function toModuleError(error: unknown, node: ModuleNode): DevServerError {
  const code = errnoCode(error);
  if (code === 'EACCES' || code === 'EPERM') {
    return new DevServerError('ERR_PERMISSION', `Permission denied reading ${node.id}`, {
      id: node.id,
      file: node.file ?? undefined,
      hint: `let the user running devserver read it: chmod u+r ${node.file ?? node.id}`,
    });
  }
  if (isDevServerError(error)) {
    error.details.id ??= node.id;
    error.details.file ??= node.file ?? undefined;
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DevServerError('ERR_TRANSFORM', message, { id: node.id, file: node.file ?? undefined, cause: error });
}

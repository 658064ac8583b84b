/**
 * The backend's failures as `DevServerError`s, so the terminal and the overlay show them
 * like any build error: one line saying what happened, the file and line, a code frame, a
 * hint. A build error comes from esbuild's message; a process that died comes from its
 * stderr, where Node (with --enable-source-maps) printed the error and a stack whose frames
 * point at the original sources: the first frame in the app's own files gives the location.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildFailure, Message } from 'esbuild';
import { DevServerError } from '../errors.js';
import { codeFrame } from '../transform/codeFrame.js';

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

/** esbuild's failure -> `ERR_BACKEND_BUILD` naming file:line:column, with a code frame. */
export function backendBuildError(error: unknown, workDir: string, serving: boolean): DevServerError {
  const hint = serving ? 'fix it and save: the running backend keeps serving until then' : 'fix it and save: the backend starts when it builds';
  const first: Message | undefined = isBuildFailure(error) ? error.errors[0] : undefined;
  if (!first?.location) {
    const text = first?.text ?? (error instanceof Error ? error.message : String(error));
    return new DevServerError('ERR_BACKEND_BUILD', `backend build failed: ${text.split('\n')[0]}`, { hint, cause: error });
  }
  const loc = first.location;
  const file = path.resolve(workDir, loc.file);
  // esbuild columns count bytes; editors count characters.
  const column = Buffer.from(loc.lineText).subarray(0, loc.column).toString().length + 1;
  const more = isBuildFailure(error) && error.errors.length > 1 ? ` (and ${error.errors.length - 1} more)` : '';
  return new DevServerError('ERR_BACKEND_BUILD', `backend build failed: ${first.text}${more}`, {
    file,
    loc: { line: loc.line, column },
    frame: frameAt(file, loc.line, column) ?? codeFrame(loc.lineText, 1, column),
    hint,
    cause: error,
  });
}

export interface ProcessFailure {
  /** What happened, e.g. `exited (exit code 1) before it was listening`. */
  what: string;
  stderr: string[];
  /** The backend's entry, named when no better location is found. */
  entry: string;
  root: string;
  /** Where the bundles are (frames there were not mapped back to a source). */
  outDir: string;
}

/** A new process that never became ready: `ERR_BACKEND_START`. */
export function backendStartError(failure: ProcessFailure, serving: boolean): DevServerError {
  const hint = serving
    ? 'the previous backend keeps serving; fix the error and save'
    : 'fix the error and save: the backend starts again then';
  return processError('ERR_BACKEND_START', `backend did not start: ${failure.what}`, failure, hint);
}

/** A running process that exited by itself: `ERR_BACKEND_CRASH`. */
export function backendCrashError(failure: ProcessFailure, restartInMs: number): DevServerError {
  const hint = `it is restarted in ${restartInMs} ms (waits double after each crash, up to 5 s); saving a file restarts it at once`;
  return processError('ERR_BACKEND_CRASH', `backend crashed: ${failure.what}`, failure, hint);
}

function processError(code: 'ERR_BACKEND_START' | 'ERR_BACKEND_CRASH', summary: string, failure: ProcessFailure, hint: string): DevServerError {
  const thrown = thrownLine(failure.stderr);
  const at = firstAppFrame(failure.stderr, failure.root, failure.outDir);
  return new DevServerError(code, thrown ? `${summary}: ${thrown}` : summary, {
    file: at?.file ?? failure.entry,
    loc: at ? { line: at.line, column: at.column } : undefined,
    frame: at ? frameAt(at.file, at.line, at.column) : undefined,
    hint,
    cause: failure.stderr.length ? new Error(failure.stderr.join('\n')) : undefined,
  });
}

/** The `Error: message` line Node prints just above the first stack frame. */
export function thrownLine(stderr: string[]): string | undefined {
  const firstFrame = stderr.findIndex((line) => /^\s+at\s/.test(line));
  for (let i = (firstFrame < 0 ? stderr.length : firstFrame) - 1; i >= 0; i--) {
    const line = stderr[i].trim();
    if (line && !line.startsWith('^') && !line.startsWith('[backend]')) return line.slice(0, 300);
  }
  return undefined;
}

const FRAME = /(?:file:\/\/)?((?:\/|[A-Za-z]:[\\/])[^\s():]+):(\d+):(\d+)/;

/** The first stack frame in a file of the app (under the root, not a dependency, on disk). */
export function firstAppFrame(stderr: string[], root: string, outDir: string): { file: string; line: number; column: number } | undefined {
  for (const line of stderr) {
    if (!/^\s+at\s/.test(line)) continue;
    const match = FRAME.exec(line);
    if (!match) continue;
    let file = match[1];
    if (line.includes('file://')) file = fileURLToPath(`file://${file}`);
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).includes('node_modules')) continue;
    if (file.startsWith(outDir + path.sep)) continue;
    if (!fs.existsSync(file)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

function frameAt(file: string, line: number, column: number): string | undefined {
  try {
    return codeFrame(fs.readFileSync(file, 'utf8'), line, column);
  } catch {
    return undefined;
  }
}

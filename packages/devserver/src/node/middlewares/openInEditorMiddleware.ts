/**
 * `/@devserver/open-in-editor?file=<file>[:line[:column]][&line=..&column=..]`: opens a file
 * of the project in the developer's editor (the overlay's file:line link). It has a side
 * effect on the machine, so (security.md) it answers only same-origin requests, only for
 * files that pass the file gate, and it never runs a shell: the editor command is spawned
 * directly with the file as an argument, detached so the editor outlives the request.
 *
 * The editor is `$EDITOR` (or `$VISUAL`), else VS Code's `code` when it is on the PATH;
 * with none, 501 and a hint. Arguments follow the editor's own convention for a position
 * (`code -g file:line:col`, `vim +line file`); an editor we do not know gets the file only.
 * Checks, in order: path (else next), method (405), same origin (403), a file param (400),
 * the gate (403/404), an editor (501), then spawn (204, or 500 if it cannot start).
 */
import { spawn as nodeSpawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { OPEN_IN_EDITOR_PATH } from '../../shared/constants.js';
import type { Logger } from '../logger.js';
import type { FileGate } from '../security/fileGate.js';
import { isSameOriginRequest } from '../security/origin.js';
import { sendPlainText } from '../security/respond.js';
import type { Middleware } from './compose.js';
import { splitUrl } from './respond.js';

export interface OpenInEditorOptions {
  root: string;
  gate: FileGate;
  logger: Logger;
  /** Where `EDITOR`, `VISUAL` and `PATH` are read, per request (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  spawn?: (command: string, args: string[], options: SpawnOptions) => ChildProcess;
}

interface Target {
  file: string;
  line: number;
  column: number;
}

const CODE_LIKE = new Set(['code', 'code-insiders', 'codium', 'vscodium', 'cursor', 'windsurf']);
const PLUS_LINE = new Set(['vi', 'vim', 'nvim', 'gvim', 'nano', 'emacs', 'emacsclient', 'micro', 'kak', 'hx', 'helix']);
const JETBRAINS = new Set(['idea', 'webstorm', 'phpstorm', 'pycharm', 'goland', 'rider', 'clion', 'rubymine']);
const POSITION = /^(.+?)(?::(\d+)(?::(\d+))?)?$/;

/** Editor arguments that open `target` at its position. */
export function editorArgs(editor: string, target: Target): string[] {
  const name = path.basename(editor).replace(/\.(exe|cmd|bat)$/i, '').toLowerCase();
  const { file, line, column } = target;
  if (CODE_LIKE.has(name)) return ['-g', `${file}:${line}:${column}`];
  if (PLUS_LINE.has(name)) return [`+${line}`, file];
  if (JETBRAINS.has(name)) return ['--line', String(line), '--column', String(column), file];
  if (name === 'subl' || name === 'sublime_text' || name === 'zed' || name === 'atom') return [`${file}:${line}:${column}`];
  return [file];
}

/** `[command, ...args]` of the configured editor, or null when there is none. */
function editorCommand(env: NodeJS.ProcessEnv): string[] | null {
  const configured = (env.EDITOR ?? env.VISUAL ?? '').trim();
  // A path that exists is one command even with spaces in it; otherwise "code --wait" style.
  if (configured) return existsSync(configured) ? [configured] : configured.split(/\s+/);
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'code'))) return [path.join(dir, 'code')];
  }
  return null;
}

export function openInEditorMiddleware(options: OpenInEditorOptions): Middleware {
  const { root, gate, logger } = options;
  const spawn = options.spawn ?? nodeSpawn;

  /** The gated real path of `file` (absolute, or a URL path such as `/src/a.ts`). */
  async function locate(file: string): Promise<{ ok: true; file: string } | { ok: false; status: 403 | 404 }> {
    const checks = [
      ...(path.isAbsolute(file) ? [gate.check(file)] : []),
      gate.checkUrlPath(root, (file.startsWith('/') ? file : '/' + file).split('?')[0]),
    ];
    let refused = false;
    for (const verdict of await Promise.all(checks)) {
      if (verdict.ok) return { ok: true, file: verdict.realPath };
      if (verdict.reason !== 'not-found') refused = true;
    }
    return { ok: false, status: refused ? 403 : 404 };
  }

  return async function openInEditor(req, res, next) {
    const { pathname, search } = splitUrl(req.url);
    if (pathname !== OPEN_IN_EDITOR_PATH) return next();
    if (req.method !== 'GET' && req.method !== 'POST') return sendPlainText(res, 405, 'open-in-editor: use GET or POST');
    if (!isSameOriginRequest(req)) return sendPlainText(res, 403, 'open-in-editor: only pages of this server may use it');
    const params = new URLSearchParams(search);
    const position = POSITION.exec(params.get('file') ?? '');
    if (!position) return sendPlainText(res, 400, 'open-in-editor: expected ?file=/path/to/file[:line[:column]]');
    const located = await locate(position[1]);
    if (!located.ok) {
      return sendPlainText(res, located.status, located.status === 403 ? 'open-in-editor: this file is not served (outside the allowed roots or on the deny list)' : 'open-in-editor: no such file');
    }
    const line = Number(params.get('line') ?? position[2] ?? 1) || 1;
    const column = Number(params.get('column') ?? position[3] ?? 1) || 1;
    const command = editorCommand(options.env ?? process.env);
    if (!command) {
      return sendPlainText(res, 501, 'open-in-editor: no editor configured\nhint: set EDITOR (e.g. EDITOR=code) in the environment devserver runs in');
    }
    const [bin, ...pre] = command;
    const args = [...pre, ...editorArgs(bin, { file: located.file, line, column })];
    const child = spawn(bin, args, { detached: true, stdio: 'ignore', shell: false, windowsHide: true });
    child.once('spawn', () => {
      child.unref();
      logger.debug(`open in editor: ${bin} ${args.join(' ')}`);
      res.statusCode = 204;
      res.end();
    });
    child.once('error', (error) => {
      logger.warn(`could not open ${path.relative(root, located.file) || located.file} in ${bin}: ${error.message}`);
      sendPlainText(res, 500, `open-in-editor: could not start ${path.basename(bin)}\nhint: check EDITOR`);
    });
  };
}

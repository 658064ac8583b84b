/**
 * chokidar, set up for a dev server: the project root and linked workspace packages are
 * watched, VCS folders, dependencies, the cache and editor temp files are not. Errors
 * (ENOSPC: out of inotify watches, EACCES) are reported once with what to do.
 */
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../logger.js';
import { errnoCode } from '../errors.js';
import type { ChangeKind } from './changeCoalescer.js';

export interface FileWatcherOptions {
  roots: string[];
  cacheDir: string;
  logger: Logger;
  usePolling?: boolean;
  interval?: number;
  ignored?: string[];
  onEvent: (file: string, kind: ChangeKind) => void;
}

export interface FileWatcher {
  ready: Promise<void>;
  add(paths: string | string[]): void;
  close(): Promise<void>;
}

// Editor temp files: vim swap/backup (.swp, ~, 4913), emacs lock and autosave (.#x, #x#),
// JetBrains safe-write (___jb_tmp___), and generic .tmp files of atomic saves.
const EDITOR_TEMP = /(\.sw[a-p]x?|~|\.tmp|___jb_(tmp|old)___)$|(^|[/\\])(\.#[^/\\]*|#[^/\\]*#|4913)$/;

/** One message per kind of watcher failure, with what to do about it. */
export function describeWatchError(error: unknown): string {
  const code = errnoCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOSPC') {
    return (
      'error: the file watcher hit the system limit of inotify watches, so some changes are not seen\n' +
      '  hint: raise it with `sudo sysctl fs.inotify.max_user_watches=524288` (add it to /etc/sysctl.conf to keep it), or set server.watch.usePolling'
    );
  }
  if (code === 'EMFILE') {
    return 'error: the file watcher ran out of file descriptors, so some changes are not seen\n  hint: raise the limit with `ulimit -n 65536`, or set server.watch.usePolling';
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `error: the file watcher was denied access to a folder (${detail}); changes inside it are not seen\n  hint: fix the folder's permissions, or add it to server.watch.ignored`;
  }
  return `error: the file watcher failed: ${detail}\n  hint: changes may be missed until the server restarts; rerun with --debug if it repeats`;
}

/**
 * Reports each kind of watcher error once: a full inotify table makes chokidar fail for
 * every folder it adds, and one message with the fix is what a person needs. The watcher
 * keeps running either way (chokidar skips what it cannot watch).
 */
export function createWatchErrorReporter(logger: Logger): (error: unknown) => void {
  const reported = new Set<string>();
  return (error) => {
    const code = errnoCode(error) ?? 'UNKNOWN';
    if (reported.has(code)) return;
    reported.add(code);
    logger.error(describeWatchError(error));
  };
}

export function createFileWatcher(options: FileWatcherOptions): FileWatcher {
  const cacheDir = path.resolve(options.cacheDir);
  const extraIgnored = options.ignored ?? [];
  const ignored = (file: string): boolean => {
    if (EDITOR_TEMP.test(file)) return true;
    const segments = file.split(path.sep);
    if (segments.includes('.git') || segments.includes('node_modules')) return true;
    if (file === cacheDir || file.startsWith(cacheDir + path.sep)) return true;
    return extraIgnored.some((pattern) => file.includes(pattern));
  };
  const watcher: FSWatcher = watch(options.roots, {
    ignoreInitial: true,
    ignored,
    usePolling: options.usePolling,
    interval: options.interval,
    atomic: true,
  });
  watcher.on('add', (file) => options.onEvent(path.resolve(file), 'add'));
  watcher.on('change', (file) => options.onEvent(path.resolve(file), 'change'));
  watcher.on('unlink', (file) => options.onEvent(path.resolve(file), 'unlink'));
  watcher.on('error', createWatchErrorReporter(options.logger));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    add: (paths) => watcher.add(paths),
    close: () => watcher.close(),
  };
}

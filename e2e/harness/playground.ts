/**
 * Runs devserver on a fresh temp copy of a playground, so a test can edit, add and remove
 * files freely without touching the repo or racing other test files.
 *
 * The copy skips node_modules and symlinks the original's instead, so dependencies resolve
 * as they do in the repo. Because those links point back into the workspace, the
 * workspace root is added to `server.fs.allow`, which is what devserver allows by default
 * when the playground is served in place. The cache dir lives inside the copy: the default
 * (`node_modules/.devserver`) would write through the symlink into the repo.
 *
 * Server output is captured in `logs` (one entry per line, without colours; debug lines
 * only with `config.debug`); set DEVSERVER_E2E_LOG=1 to also print it.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type DevServer, type Logger, type UserConfig } from 'devserver';

/** The repository root (this file is `e2e/harness/playground.ts`). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface PlaygroundOptions {
  /** Passed to createServer; the default lets devserver look for the playground's own config file. */
  configFile?: string | false;
  /** Extra inline config merged into what the harness sets. */
  config?: UserConfig;
}

export interface Playground {
  /** Absolute path of the temp copy (the server root). */
  root: string;
  /** The page URL, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  server: DevServer;
  /** Terminal output of the server so far, one line per entry, colours stripped. */
  logs: string[];
  /** Absolute path of a file in the copy. */
  file(relPath: string): string;
  read(relPath: string): Promise<string>;
  /** Rewrites a file: new content, or a function of the old content (which must change it). */
  edit(relPath: string, content: string | ((old: string) => string)): Promise<void>;
  /** Creates a file (and its directories); fails if it exists. */
  add(relPath: string, content: string): Promise<void>;
  remove(relPath: string): Promise<void>;
  /** Closes the server and deletes the copy. Safe to call twice. */
  close(): Promise<void>;
}

const ANSI = /\u001b\[[0-9;]*m/g;

function captureLogger(logs: string[], debug: boolean): Logger {
  const echo = process.env.DEVSERVER_E2E_LOG === '1';
  const push = (level: string) => (message: string) => {
    for (const line of message.replace(ANSI, '').split('\n')) logs.push(line);
    if (echo) process.stderr.write(`[devserver ${level}] ${message}\n`);
  };
  return { info: push('info'), warn: push('warn'), error: push('error'), debug: debug ? push('debug') : () => {} };
}

function playgroundDir(name: string): string {
  const dir = path.isAbsolute(name) ? name : path.join(REPO_ROOT, 'playground', name);
  if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`playground ${name}: no index.html in ${dir}`);
  return dir;
}

/**
 * Copies `playground/<name>` to a temp dir and starts devserver on it.
 * @example
 * const app = await startPlayground('vanilla');
 * await page.goto(app.url);
 * await app.edit('src/counter.ts', (s) => s.replace('Count', 'Clicks'));
 * await app.close();
 */
export async function startPlayground(name: string, options: PlaygroundOptions = {}): Promise<Playground> {
  const source = playgroundDir(name);
  const tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), `devserver-e2e-${path.basename(source)}-`)));
  const root = path.join(tmp, 'app');
  const logs: string[] = [];
  let server: DevServer | undefined;
  try {
    await fs.cp(source, root, {
      recursive: true,
      filter: (from) => path.basename(from) !== 'node_modules' && path.basename(from) !== '.devserver-cache',
    });
    const linked = existsSync(path.join(source, 'node_modules'));
    if (linked) await fs.symlink(path.join(source, 'node_modules'), path.join(root, 'node_modules'), 'dir');

    const inline = options.config ?? {};
    server = await createServer({
      ...inline,
      root,
      configFile: options.configFile,
      customLogger: captureLogger(logs, inline.debug ?? false),
      cacheDir: path.join(root, '.devserver-cache'),
      server: {
        ...inline.server,
        port: 0,
        host: '127.0.0.1',
        strictPort: true,
        fs: inline.server?.fs ?? { allow: linked ? [root, REPO_ROOT] : [root] },
      },
    });
    await server.listen();
  } catch (error) {
    await server?.close();
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }

  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('devserver is listening but has no resolvedUrls.local[0]');
  const running = server;
  const file = (relPath: string) => path.join(root, relPath);

  let closed: Promise<void> | undefined;
  return {
    root,
    url,
    server: running,
    logs,
    file,
    read: (relPath) => fs.readFile(file(relPath), 'utf8'),
    async edit(relPath, content) {
      if (typeof content === 'string') return fs.writeFile(file(relPath), content);
      const old = await fs.readFile(file(relPath), 'utf8');
      const next = content(old);
      if (next === old) throw new Error(`edit(${relPath}): the edit returned the file unchanged (did the replace match?)`);
      await fs.writeFile(file(relPath), next);
    },
    async add(relPath, content) {
      await fs.mkdir(path.dirname(file(relPath)), { recursive: true });
      await fs.writeFile(file(relPath), content, { flag: 'wx' });
    },
    remove: (relPath) => fs.rm(file(relPath)),
    close() {
      closed ??= (async () => {
        try {
          await running.close();
        } finally {
          await fs.rm(tmp, { recursive: true, force: true });
        }
      })();
      return closed;
    },
  };
}

/**
 * Test helpers for the backend: a temp project with a small node:http backend, a fake HMR
 * channel that records what would go to the tabs, a logger that records lines, and an HTTP
 * GET that reports failures as values (a load test counts them instead of stopping).
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { ServerMessage } from '../../../shared/protocol.js';
import type { BroadcastMessage } from '../../hmr/hotChannel.js';
import type { Logger } from '../../logger.js';

/** A backend answering `<version> <pid>`; `/crash` answers, then exits with code 3. */
export const SERVER_TS = `import http from 'node:http';
import { version } from './version';

const server = http.createServer((req, res) => {
  if (req.url === '/crash') {
    res.end('bye', () => process.exit(3));
    return;
  }
  res.setHeader('content-type', 'text/plain');
  res.end(version + ' ' + process.pid);
});
server.listen(Number(process.env.PORT ?? 3000), () => console.log('listening on ' + process.env.PORT));
`;

export const version = (n: number | string): string => `export const version: string = 'v${n}';\n`;

export interface TempProject {
  root: string;
  file(rel: string): string;
  write(rel: string, content: string): Promise<void>;
  cleanup(): Promise<void>;
}

export async function tempProject(files: Record<string, string>): Promise<TempProject> {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-backend-')));
  const file = (rel: string) => path.join(root, rel);
  const write = async (rel: string, content: string) => {
    await fs.mkdir(path.dirname(file(rel)), { recursive: true });
    await fs.writeFile(file(rel), content);
  };
  for (const [rel, content] of Object.entries(files)) await write(rel, content);
  return { root, file, write, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

export interface FakeHot {
  broadcast(message: BroadcastMessage): void;
  send(event: string, data?: unknown): void;
  readonly seq: number;
  messages: Array<BroadcastMessage | Extract<ServerMessage, { type: 'custom' }>>;
  /** Resolves with the first message (already sent or to come) that `match` accepts after `from`. */
  waitFor(match: (m: FakeHot['messages'][number]) => boolean, from?: number): Promise<FakeHot['messages'][number]>;
}

export function fakeHot(): FakeHot {
  const messages: FakeHot['messages'] = [];
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  const hot: FakeHot = {
    messages,
    get seq() {
      return messages.length;
    },
    broadcast(message) {
      messages.push(message);
      notify();
    },
    send(event, data) {
      messages.push({ type: 'custom', event, data });
      notify();
    },
    async waitFor(match, from = 0) {
      for (;;) {
        const found = messages.slice(from).find(match);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
  return hot;
}

export function recordingLogger(lines: string[] = []): Logger & { lines: string[] } {
  const push = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`);
    if (process.env.DEVSERVER_TEST_LOG) process.stderr.write(`${level}: ${message}\n`);
  };
  return { lines, info: push('info'), warn: push('warn'), error: push('error'), debug: push('debug') };
}

export type GetResult = { ok: true; status: number; body: string; headers: http.IncomingHttpHeaders } | { ok: false; error: string };

/** GET that never throws: a network failure is `{ ok: false, error }`. */
export function get(url: string, agent: http.Agent | false): Promise<GetResult> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ ok: true, status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', (error) => resolve({ ok: false, error: error.message }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, error: `${error.code ?? ''} ${error.message}` }));
  });
}

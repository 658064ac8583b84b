/**
 * Test helper: a runtime wired to a fake server, a fake socket (messages sent are
 * recorded), a counting `reload` and a fake UI, plus a `log()` global that module sources
 * call so tests can assert evaluation order.
 */
import type { ClientMessage, ErrorPayload, ServerMessage } from '../../shared/protocol.js';
import { createRuntime, type Runtime } from '../runtime.js';
import type { ModuleNamespace, RuntimeConsole } from '../types.js';
import { createFakeServer, type Extra, type FakeServer, type Files } from './fakeServer.js';

declare global {
  // eslint-disable-next-line no-var
  var log: (...values: unknown[]) => void;
}

export const ORIGIN = 'http://localhost:5173';

export interface Harness {
  runtime: Runtime;
  server: FakeServer;
  /** Values passed to the global `log()` by module code, in order. */
  logs: unknown[];
  sent: ClientMessage[];
  reloads: number;
  /** What the overlay would show now. */
  overlay: ErrorPayload[];
  consoleLines: string[];
  /** Edits files on the fake server and delivers the update; resolves once applied. */
  update(files: Files, kind?: 'js' | 'css' | 'asset' | 'html'): Promise<void>;
  /** Delivers a server message and waits until the queue is idle. */
  deliver(msg: ServerMessage): Promise<void>;
  seq: number;
}

export interface HarnessOptions {
  extra?: Extra;
  aliases?: Record<string, string>;
  importNative?: (url: string) => Promise<ModuleNamespace>;
  pathname?: string;
  page?: string;
  document?: Document;
}

export function createHarness(files: Files, options: HarnessOptions = {}): Harness {
  const server = createFakeServer(files, options.extra, options.aliases);
  const logs: unknown[] = [];
  globalThis.log = (...values: unknown[]) => void logs.push(values.length === 1 ? values[0] : values);
  const consoleLines: string[] = [];
  const fmt = (args: unknown[]) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ');
  const quiet: RuntimeConsole = {
    info: (...a) => void consoleLines.push(fmt(a)),
    warn: (...a) => void consoleLines.push(fmt(a)),
    error: (...a) => void consoleLines.push(fmt(a)),
    debug: (...a) => void consoleLines.push(fmt(a)),
  };
  const h: Harness = {
    server,
    logs,
    sent: [],
    reloads: 0,
    overlay: [],
    consoleLines,
    seq: 0,
    runtime: undefined as unknown as Runtime,
    async update(edited, kind = 'js') {
      const changed = server.edit(edited, kind);
      await h.deliver({ type: 'update', seq: ++h.seq, hash: `h${h.seq}`, changed, removed: [] });
    },
    async deliver(msg) {
      h.runtime.handleMessage(msg);
      await h.runtime.idle();
    },
  };
  h.runtime = createRuntime({
    config: {
      token: 't',
      buildId: 'b1',
      base: '/',
      env: { MODE: 'development', DEV: true, PROD: false, SSR: false, BASE_URL: '/' },
      overlay: true,
      wsPath: '/@devserver/ws',
      subprotocol: 'devserver-hmr',
      page: options.page ?? '/index.html',
      seq: 0,
    },
    fetchJson: server.fetchJson,
    send: (msg) => void h.sent.push(msg),
    reload: () => void h.reloads++,
    origin: ORIGIN,
    pathname: () => options.pathname ?? '/',
    importNative: options.importNative ?? ((url) => Promise.reject(new Error(`no native import of ${url} in tests`))),
    document: options.document,
    console: quiet,
    ui: {
      showErrors: (errors) => void (h.overlay = errors),
      setConnectionLost: () => {},
    },
  });
  return h;
}

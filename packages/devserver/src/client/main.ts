/**
 * Entry of `/@devserver/client.js`, the browser runtime. The served HTML calls
 * `start(config)` once and then `await load(entry)` per entry script, in document order:
 *
 * @example
 * import { start, load } from '/@devserver/client.js';
 * start({ token, buildId, base: '/', env, overlay: true, wsPath, subprotocol, page: '/index.html' });
 * await load('/src/main.ts');
 *
 * This file holds the only module-level state of the runtime (the started instance) and
 * wires it to the real browser: fetch, WebSocket, location, document and the overlay.
 */
import type { GraphPayload } from '../shared/protocol.js';
import { setConnectionNotice } from './connectionNotice.js';
import { showOverlay } from './overlay.js';
import { createRuntime, type Runtime } from './runtime.js';
import { createSocket, socketUrl } from './socket.js';
import { markReported, watchRuntimeErrors } from './runtimeErrors.js';
import { STACK_PATH } from '../shared/constants.js';
import type { ClientConfig, ModuleNamespace, RuntimeUI } from './types.js';

export type { ClientConfig } from './types.js';

let runtime: Runtime | undefined;

async function fetchJson(url: string): Promise<GraphPayload> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`[devserver] GET ${url} answered ${res.status} with a body that is not JSON`);
  }
  if (!res.ok && !(body && typeof body === 'object' && 'modules' in body)) {
    const message = (body as { message?: unknown } | null)?.message;
    throw new Error(`[devserver] GET ${url} failed (${res.status})${typeof message === 'string' ? `: ${message}` : ''}`);
  }
  return body as GraphPayload;
}

/** Server paths (`/@devserver/…`, `/@deps/…`) live under the app's base (`/app/`). */
function withBase(base: string, url: string): string {
  return base !== '/' && url.startsWith('/') && !url.startsWith('//') ? base + url.slice(1) : url;
}

function browserUI(overlay: boolean): RuntimeUI {
  return {
    showErrors(errors) {
      if (overlay) showOverlay(window, errors);
    },
    setConnectionLost(lost) {
      setConnectionNotice(document, lost);
    },
  };
}

/**
 * Starts the runtime for this page: opens the HMR websocket and prepares `load()`.
 * Calling it again does nothing.
 */
export function start(config: ClientConfig): void {
  if (runtime) return;
  let socket: ReturnType<typeof createSocket> | undefined;
  const started = createRuntime({
    config,
    fetchJson: (url) => fetchJson(withBase(config.base, url)),
    send: (msg) => socket?.send(msg),
    reload: () => location.reload(),
    origin: location.origin,
    pathname: () => location.pathname,
    importNative: (url) => import(withBase(config.base, url)) as Promise<ModuleNamespace>,
    document,
    ui: browserUI(config.overlay),
  });
  runtime = started;
  if (config.overlay) {
    watchRuntimeErrors(window, {
      report: (error) => started.runtimeError(error),
      mapStack: async (stack) => {
        const res = await fetch(withBase(config.base, STACK_PATH), { method: 'POST', body: stack, headers: { 'content-type': 'text/plain' } });
        if (!res.ok) throw new Error(`stack mapping failed (${res.status})`);
        return res.text();
      },
    });
  }
  socket = createSocket({
    url: socketUrl(location, config.wsPath, config.token),
    protocol: config.subprotocol,
    create: (url, protocol) => new WebSocket(url, protocol),
    hello: () => started.hello(),
    onMessage: (msg) => started.handleMessage(msg),
    onConnectionChange: (connected, ws) => started.connectionChanged(connected, ws),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    console,
  });
}

/**
 * Loads an entry module and everything it imports (one request), then runs it with ESM
 * semantics. Rejects like a failed module script would (and shows the overlay).
 */
export function load(entryId: string): Promise<void> {
  if (!runtime) return Promise.reject(new Error('[devserver] call start(config) before load()'));
  // Load failures are in the overlay already; the page-level error listener skips them.
  return runtime.load(entryId).catch((error: unknown) => {
    markReported(error);
    throw error;
  });
}

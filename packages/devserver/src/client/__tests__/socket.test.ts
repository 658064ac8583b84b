/**
 * The websocket client with a fake WebSocket and fake timers: hello on every open,
 * buffering while closed, backoff doubling to 5 s, one disconnect report per outage.
 */
import { describe, expect, it } from 'vitest';
import { createSocket, socketUrl, type WebSocketLike } from '../socket.js';
import { pageMatches } from '../page.js';
import { formatChain } from '../reloadReason.js';

class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: string[] = [];
  private readonly listeners = new Map<string, Array<(e: { data?: unknown }) => void>>();
  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.fire('close');
  }
  addEventListener(type: string, listener: (e: { data?: unknown }) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  fire(type: string, data?: unknown) {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const l of this.listeners.get(type) ?? []) l({ data });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const changes: boolean[] = [];
  const messages: unknown[] = [];
  let seq = 0;
  const socket = createSocket({
    url: 'ws://localhost:5173/@devserver/ws?token=t',
    protocol: 'devserver-hmr',
    create: (url, protocol) => {
      const s = new FakeSocket(url, protocol);
      sockets.push(s);
      return s;
    },
    hello: () => ({ type: 'hello', buildId: 'b', lastSeq: seq, page: '/index.html' }),
    onMessage: (m) => void messages.push(m),
    onConnectionChange: (c) => void changes.push(c),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    console: { info() {}, warn() {}, error() {}, debug() {} },
  });
  return { socket, sockets, timers, changes, messages, setSeq: (n: number) => (seq = n) };
}

describe('socket', () => {
  it('builds the URL with the token and connects with the subprotocol', () => {
    expect(socketUrl({ protocol: 'https:', host: 'app.localhost:8443' }, '/@devserver/ws', 'a b')).toBe(
      'wss://app.localhost:8443/@devserver/ws?token=a%20b',
    );
    const { sockets } = setup();
    expect(sockets[0].protocol).toBe('devserver-hmr');
  });

  it('buffers sends until open, says hello first, then flushes', () => {
    const { socket, sockets, changes } = setup();
    socket.send({ type: 'custom', event: 'early', data: 1 });
    sockets[0].fire('open');
    expect(sockets[0].sent.map((d) => JSON.parse(d).type)).toEqual(['hello', 'custom']);
    expect(changes).toEqual([true]);
  });

  it('retries with backoff doubling to 5 s, reports the outage once, and says hello with the last seq', () => {
    const { socket, sockets, timers, changes, setSeq } = setup();
    sockets[0].fire('open');
    setSeq(4);
    sockets[0].fire('close');
    for (let i = 0; i < 8; i++) {
      timers[i].fn();
      sockets.at(-1)!.fire('close');
    }
    expect(timers.map((t) => t.ms)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
    expect(changes).toEqual([true, false]);
    socket.send({ type: 'custom', event: 'while down', data: null });
    timers.at(-1)!.fn();
    sockets.at(-1)!.fire('open');
    expect(changes).toEqual([true, false, true]);
    expect(sockets.at(-1)!.sent.map((d) => JSON.parse(d))).toEqual([
      { type: 'hello', buildId: 'b', lastSeq: 4, page: '/index.html' },
      { type: 'custom', event: 'while down', data: null },
    ]);
    sockets.at(-1)!.fire('close');
    expect(timers.at(-1)!.ms).toBe(100);
  });

  it('passes parsed messages on and ignores malformed ones', () => {
    const { sockets, messages } = setup();
    sockets[0].fire('open');
    sockets[0].fire('message', '{"type":"custom","event":"e","data":1}');
    sockets[0].fire('message', 'not json');
    sockets[0].fire('message', '{"no":"type"}');
    expect(messages).toEqual([{ type: 'custom', event: 'e', data: 1 }]);
  });
});

describe('page matching and reasons', () => {
  it('matches the page the HTML says it is, or index.html for SPA routes', () => {
    expect(pageMatches('/index.html', '/index.html', '/deep/route')).toBe(true);
    expect(pageMatches('/about.html', '/index.html', '/about.html')).toBe(false);
    expect(pageMatches('/index.html', undefined, '/')).toBe(true);
    expect(pageMatches('/index.html', undefined, '/users/1')).toBe(true);
    expect(pageMatches('/index.html', undefined, '/about.html')).toBe(false);
    expect(pageMatches('/docs/index.html', undefined, '/docs/')).toBe(true);
    expect(pageMatches('/docs/index.html', undefined, '/blog/')).toBe(false);
  });

  it('formats chains like the terminal', () => {
    expect(formatChain(['/src/data.ts', '/src/store.ts', '/src/main.ts'], 'an entry')).toBe(
      '(src/data.ts -> src/store.ts -> src/main.ts, an entry)',
    );
  });
});

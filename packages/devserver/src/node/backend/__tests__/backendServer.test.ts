/**
 * The backend inside a dev server (`backend` in the config), without a browser: `/api` is
 * proxied to it, one watcher feeds both sides (a backend-only file restarts the backend
 * and sends the frontend nothing, a file both import does both), tabs get
 * `devserver:backend-restarted`, and a broken backend shows in the overlay (also for a tab
 * that connects later) until it is fixed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../../shared/protocol.js';
import { createServer, type DevServer } from '../../server.js';
import { openFakeTab, type FakeTab } from '../../__tests__/fakeTab.js';
import { recordingLogger, tempProject, type TempProject } from './fixture.js';

let project: TempProject;
let server: DevServer;
let base: string;
const logger = recordingLogger();

beforeAll(async () => {
  project = await tempProject({
    'index.html': '<!doctype html><script type="module" src="/src/main.ts"></script>',
    'src/main.ts': "import { label } from '../shared/label';\ndocument.title = label;\n",
    'shared/label.ts': "export const label = 'label v1';\n",
    'server/greeting.ts': "export const greeting = 'hello v1';\n",
    'server/index.ts': [
      "import http from 'node:http';",
      "import { greeting } from './greeting';",
      "import { label } from '../shared/label';",
      'http.createServer((req, res) => {',
      "  res.setHeader('content-type', 'application/json');",
      '  res.end(JSON.stringify({ url: req.url, greeting, label }));',
      '}).listen(process.env.PORT);',
    ].join('\n'),
  });
  server = await createServer({
    root: project.root,
    configFile: false,
    customLogger: logger,
    cacheDir: project.file('.cache'),
    server: { port: 0, host: '127.0.0.1' },
    backend: 'server/index.ts',
  });
  await server.listen();
  base = server.resolvedUrls!.local[0];
  expect(await server.backend!.started).toBe('ready');
}, 60_000);

afterAll(async () => {
  await server?.close();
  await project?.cleanup();
});

async function api(): Promise<{ url: string; greeting: string; label: string }> {
  const res = await fetch(`${base}api/greeting?x=1`);
  expect(res.status).toBe(200);
  return (await res.json()) as { url: string; greeting: string; label: string };
}

/** The first message `match` accepts, received already or to come (in any order with others). */
async function received(tab: FakeTab, match: (m: ServerMessage) => boolean): Promise<ServerMessage> {
  for (;;) {
    const found = tab.messages.find(match);
    if (found) return found;
    await tab.next();
  }
}

const restartedEvent = (m: ServerMessage) => m.type === 'custom' && m.event === 'devserver:backend-restarted';

describe('backend in the dev server', () => {
  it('proxies /api to the backend', async () => {
    expect(await api()).toEqual({ url: '/api/greeting?x=1', greeting: 'hello v1', label: 'label v1' });
  });

  it('restarts the backend for a backend file, and sends the frontend no update', async () => {
    const tab = await openFakeTab(base);
    await project.write('server/greeting.ts', "export const greeting = 'hello v2';\n");
    const restarted = await received(tab, restartedEvent);
    expect(restarted.type === 'custom' && restarted.data).toMatchObject({ cause: 'change', generation: 2 });
    await server.waitForIdle();
    expect(tab.messages.filter((m) => m.type === 'update')).toEqual([]);
    expect((await api()).greeting).toBe('hello v2');
    tab.ws.close();
  }, 30_000);

  it('updates both sides for a file both import', async () => {
    const tab = await openFakeTab(base);
    await project.write('shared/label.ts', "export const label = 'label v2';\n");
    const update = await received(tab, (m) => m.type === 'update');
    expect(update.type === 'update' && update.changed.map((c) => c.id)).toEqual(['/shared/label.ts']);
    await received(tab, restartedEvent);
    expect((await api()).label).toBe('label v2');
    tab.ws.close();
  }, 30_000);

  it('shows a broken backend in the overlay, also to tabs that connect later, until it is fixed', async () => {
    const tab = await openFakeTab(base);
    await project.write('server/greeting.ts', "export const greeting = 'hello v3'\nexport const = ;\n");
    const error = await received(tab, (m) => m.type === 'error');
    expect(error.type === 'error' && error.error).toMatchObject({ code: 'ERR_BACKEND_BUILD', file: project.file('server/greeting.ts') });
    expect((await api()).greeting).toBe('hello v2');

    const later = await openFakeTab(base);
    later.ws.send(JSON.stringify({ type: 'hello', buildId: null, lastSeq: 0, page: '/' }));
    const replayed = await received(later, (m) => m.type === 'error');
    expect(replayed.type === 'error' && replayed.error.code).toBe('ERR_BACKEND_BUILD');

    await project.write('server/greeting.ts', "export const greeting = 'hello v4';\n");
    const mark = tab.messages.length;
    const after = (match: (m: ServerMessage) => boolean) => received(tab, (m) => tab.messages.indexOf(m) >= mark && match(m));
    expect(await after((m) => m.type === 'error-cleared')).toMatchObject({ id: '/@devserver/backend' });
    await after(restartedEvent);
    expect((await api()).greeting).toBe('hello v4');
    tab.ws.close();
    later.ws.close();
  }, 30_000);
});

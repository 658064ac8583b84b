/**
 * The promise of the backend restart: no request fails while processes are swapped. Eight
 * clients (four on keep-alive connections, four opening a fresh connection per request)
 * loop on the backend during 20 rebuild-and-swap cycles. The load is bounded by a budget:
 * each client may send 25 requests per cycle and waits for the next swap once it spent
 * them, so requests are always in flight at the moment a new process takes over (each new
 * budget starts right then) and the total stays under ~4,500 on any machine.
 * A keep-alive client closes its idle connection before it waits: a server closing an idle
 * keep-alive connection always races with a client sending on it (HTTP/1.1; browsers retry,
 * Node's http client does not), and that race is not what is tested here.
 */
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../createBackend.js';
import { fakeHot, get, recordingLogger, SERVER_TS, tempProject, version, type GetResult, type TempProject } from './fixture.js';

const RESTARTS = 20;
const BUDGET_PER_CYCLE = 25;

let project: TempProject;
let backend: Backend;
const logger = recordingLogger();

beforeAll(async () => {
  project = await tempProject({ 'server.ts': SERVER_TS, 'version.ts': version(0) });
  backend = await createBackend({
    backend: 'server.ts',
    root: project.root,
    cacheDir: path.join(project.root, '.cache'),
    logger,
    hot: fakeHot(),
    watch: () => undefined,
  });
  expect(await backend.started).toBe('ready');
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await project?.cleanup();
});

describe('backend hot restart under load', () => {
  it(`drops no request during ${RESTARTS} restarts`, async () => {
    let cycle = 0;
    let done = false;
    let cycleWaiters: Array<() => void> = [];
    const nextCycle = () => new Promise<void>((resolve) => cycleWaiters.push(resolve));
    const failures: string[] = [];
    const bodies = new Map<string, number>();
    let total = 0;

    const agents: http.Agent[] = [];
    async function client(keepAlive: boolean): Promise<void> {
      let myCycle = -1;
      let spent = 0;
      let agent: http.Agent | false = false;
      while (!done) {
        if (myCycle !== cycle) {
          myCycle = cycle;
          spent = 0;
          if (keepAlive) agents.push((agent = new http.Agent({ keepAlive: true, maxSockets: 1 })));
        }
        if (spent >= BUDGET_PER_CYCLE) {
          if (agent) agent.destroy();
          await nextCycle();
          continue;
        }
        spent++;
        total++;
        const result: GetResult = await get(`${backend.url}/`, agent);
        const kind = keepAlive ? 'keep-alive' : 'fresh';
        if (!result.ok) failures.push(`${kind}: ${result.error}`);
        else if (result.status !== 200) failures.push(`${kind}: HTTP ${result.status}: ${result.body}`);
        else bodies.set(result.body, (bodies.get(result.body) ?? 0) + 1);
      }
    }

    const clients = [true, true, true, true, false, false, false, false].map((keepAlive) => client(keepAlive));
    const generations: number[] = [];
    try {
      for (let i = 1; i <= RESTARTS; i++) {
        await project.write('version.ts', version(i));
        expect(await backend.rebuild()).toBe('ready');
        generations.push(backend.generation!);
        cycle++;
        const waiters = cycleWaiters;
        cycleWaiters = [];
        waiters.forEach((w) => w());
      }
    } finally {
      done = true;
      cycleWaiters.forEach((w) => w());
      await Promise.all(clients);
      agents.forEach((agent) => agent.destroy());
    }

    expect(failures).toEqual([]);
    expect(total).toBeLessThanOrEqual(8 * BUDGET_PER_CYCLE * (RESTARTS + 1));
    expect(new Set(generations).size).toBe(RESTARTS);
    // Answers came from many processes (`v<n> <pid>`), old and new ones.
    const pids = new Set([...bodies.keys()].map((body) => body.split(' ')[1]));
    expect(pids.size).toBeGreaterThan(RESTARTS / 2);
    const last = await get(`${backend.url}/`, false);
    expect(last.ok && last.body.startsWith(`v${RESTARTS} `)).toBe(true);
  }, 240_000);
});

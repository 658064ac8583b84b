/**
 * What happens when the backend goes wrong, through real processes: a broken edit (build
 * error) and a process that throws at start both leave the old process serving, with the
 * error in the terminal and the overlay until a good save swaps normally; a crash is
 * reported and restarted after 100, 200, 400 ms (connections made meanwhile wait for the
 * new process instead of failing).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../../shared/protocol.js';
import { createBackend, type Backend } from '../createBackend.js';
import { fakeHot, get, recordingLogger, SERVER_TS, tempProject, version, type FakeHot, type TempProject } from './fixture.js';

let project: TempProject | undefined;
let backend: Backend | undefined;

afterEach(async () => {
  await backend?.close();
  await project?.cleanup();
  backend = project = undefined;
});

async function start(hot: FakeHot, logger = recordingLogger()): Promise<{ backend: Backend; project: TempProject }> {
  project = await tempProject({ 'server.ts': SERVER_TS, 'version.ts': version(1) });
  backend = await createBackend({
    backend: 'server.ts',
    root: project.root,
    cacheDir: path.join(project.root, '.cache'),
    logger,
    hot,
    watch: () => undefined,
    timing: { stableMs: 60_000 },
  });
  expect(await backend.started).toBe('ready');
  return { backend, project };
}

async function body(b: Backend, route = '/'): Promise<string> {
  const result = await get(`${b.url}${route}`, false);
  if (!result.ok) throw new Error(result.error);
  return result.body;
}

const errorOf = (m: FakeHot['messages'][number]): ErrorPayload | undefined => (m.type === 'error' ? m.error : undefined);

describe('backend failures', () => {
  it('keeps the old process serving through a broken edit, then swaps on the fix', async () => {
    const hot = fakeHot();
    const logger = recordingLogger();
    const { backend, project } = await start(hot, logger);
    const before = await body(backend);
    expect(before).toMatch(/^v1 \d+$/);

    await project.write('version.ts', "export const version: string = 'v2'\nconst = broken;\n");
    expect(await backend.rebuild()).toBe('failed');
    const error = errorOf(await hot.waitFor((m) => m.type === 'error'))!;
    expect(error).toMatchObject({ code: 'ERR_BACKEND_BUILD', file: project.file('version.ts'), loc: { line: 2 } });
    expect(error.message).toMatch(/^backend build failed: /);
    expect(error.hint).toMatch(/keeps serving/);
    expect(error.frame).toContain('const = broken;');
    expect(logger.lines.some((l) => l.includes('backend build failed'))).toBe(true);
    expect(await body(backend)).toBe(before);
    expect(backend.openErrors()).toHaveLength(1);

    const mark = hot.messages.length;
    await project.write('version.ts', version(3));
    expect(await backend.rebuild()).toBe('ready');
    expect(await body(backend)).toMatch(/^v3 /);
    expect(hot.messages.slice(mark).map((m) => m.type === 'custom' ? m.event : m.type)).toEqual(['error-cleared', 'devserver:backend-restarted']);
    expect(backend.openErrors()).toEqual([]);
  }, 60_000);

  it('keeps the old process serving when the new one throws at start', async () => {
    const hot = fakeHot();
    const { backend, project } = await start(hot);
    const before = await body(backend);

    await project.write('version.ts', "export const version: string = 'v2';\nthrow new Error('no database at startup');\n");
    expect(await backend.rebuild()).toBe('failed');
    const error = errorOf(await hot.waitFor((m) => m.type === 'error'))!;
    expect(error.code).toBe('ERR_BACKEND_START');
    expect(error.message).toMatch(/^backend did not start: exited \(exit code 1\) before it was listening: Error: no database at startup/);
    // The stack is mapped to the source, so the overlay points at the line that threw.
    expect(error.file).toBe(project.file('version.ts'));
    expect(error.loc?.line).toBe(2);
    expect(error.hint).toMatch(/previous backend keeps serving/);
    expect(await body(backend)).toBe(before);

    await project.write('version.ts', version(3));
    expect(await backend.rebuild()).toBe('ready');
    expect(await body(backend)).toMatch(/^v3 /);
  }, 60_000);

  it('reports a crash and restarts with a growing backoff; requests meanwhile wait', async () => {
    const hot = fakeHot();
    const { backend } = await start(hot);
    const delays: number[] = [];
    let pid = (await body(backend)).split(' ')[1];
    for (let crash = 0; crash < 3; crash++) {
      const mark = hot.messages.length;
      expect(await body(backend, '/crash')).toBe('bye');
      const error = errorOf(await hot.waitFor((m) => m.type === 'error', mark))!;
      expect(error.code).toBe('ERR_BACKEND_CRASH');
      expect(error.message).toBe('backend crashed: exited (exit code 3)');
      delays.push(Number(/restarted in (\d+) ms/.exec(error.hint ?? '')?.[1]));
      // Sent while no process serves: held by devserver, answered by the restarted process.
      const next = await body(backend);
      expect(next.split(' ')[1]).not.toBe(pid);
      pid = next.split(' ')[1];
      const restarted = await hot.waitFor((m) => m.type === 'custom' && m.event === 'devserver:backend-restarted', mark);
      expect(restarted).toMatchObject({ data: { cause: 'crash' } });
    }
    expect(delays).toEqual([100, 200, 400]);
  }, 60_000);
});

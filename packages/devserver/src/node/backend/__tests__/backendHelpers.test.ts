/**
 * The small pure pieces of the backend: option resolution, the crash backoff, which
 * `listen()` calls the bootstrap claims, and reading Node's crash output for the overlay.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDevServerError } from '../../errors.js';
import { firstAppFrame, thrownLine } from '../backendErrors.js';
import { resolveBackendOptions } from '../backendOptions.js';
import { createBackoff } from '../backoff.js';
import { isPortListen } from '../listenArgs.js';
import { tempProject, type TempProject } from './fixture.js';

let project: TempProject;
beforeAll(async () => {
  project = await tempProject({ 'server/index.ts': 'export {};\n// line 2\nthrow new Error("x");\n' });
});
afterAll(() => project.cleanup());

describe('resolveBackendOptions', () => {
  it('takes an entry path and defaults the rest (proxy /api, any port on 127.0.0.1)', () => {
    expect(resolveBackendOptions('server/index.ts', project.root)).toEqual({
      entry: project.file('server/index.ts'),
      env: {},
      args: [],
      proxy: ['/api'],
      port: 0,
      host: '127.0.0.1',
    });
  });

  it('takes options: env, args, several prefixes (with or without a slash), or no proxy', () => {
    const resolved = resolveBackendOptions({ entry: 'server/index.ts', env: { A: '1' }, args: ['--x'], proxy: ['api', '/auth'], port: 4000 }, project.root);
    expect(resolved).toMatchObject({ env: { A: '1' }, args: ['--x'], proxy: ['/api', '/auth'], port: 4000 });
    expect(resolveBackendOptions({ entry: 'server/index.ts', proxy: false }, project.root).proxy).toEqual([]);
  });

  it('says which entry is missing, with a hint', () => {
    try {
      resolveBackendOptions('server/main.ts', project.root);
      expect.unreachable();
    } catch (error) {
      expect(isDevServerError(error) && error.code).toBe('ERR_CONFIG');
      expect((error as Error).message).toBe(`backend entry server/main.ts does not exist (looked for ${project.file('server/main.ts')})`);
    }
  });
});

describe('crash backoff', () => {
  it('doubles from 100 ms up to 5 s, and starts over after a reset', () => {
    const backoff = createBackoff();
    expect(Array.from({ length: 8 }, () => backoff.next())).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});

describe('isPortListen', () => {
  it('claims TCP listens on any port', () => {
    for (const args of [[], [3000], ['3000'], [undefined, () => {}], [() => {}], [{ port: 3000, host: 'localhost' }], [0, '0.0.0.0']]) {
      expect(isPortListen(args)).toBe(true);
    }
  });

  it('leaves unix sockets, fds and handles alone', () => {
    for (const args of [['/tmp/app.sock'], [{ path: '/tmp/app.sock' }], [{ fd: 3 }], [{ _handle: {} }], [{ handle: {} }]]) {
      expect(isPortListen(args)).toBe(false);
    }
  });
});

describe("reading a crashed process's stderr", () => {
  it('finds the thrown line and the first frame in the app (skipping dependencies and bundles)', async () => {
    const file = project.file('server/index.ts');
    const stderr = [
      `${file}:3`,
      'throw new Error("x");',
      '^',
      '',
      'Error: x',
      `    at file://${project.file('node_modules/dep/index.js')}:10:5`,
      `    at file://${project.file('.cache/backend/server-1.mjs')}:40:11`,
      `    at Object.<anonymous> (file://${file}:3:7)`,
      '    at ModuleJob.run (node:internal/modules/esm/module_job:234:25)',
    ];
    await fs.mkdir(project.file('node_modules/dep'), { recursive: true });
    await fs.writeFile(project.file('node_modules/dep/index.js'), '');
    expect(thrownLine(stderr)).toBe('Error: x');
    expect(firstAppFrame(stderr, project.root, path.join(project.root, '.cache'))).toEqual({ file, line: 3, column: 7 });
  });

  it('finds nothing in output without a stack', () => {
    expect(thrownLine([])).toBeUndefined();
    expect(firstAppFrame(['just a log line'], project.root, project.file('.cache'))).toBeUndefined();
  });
});

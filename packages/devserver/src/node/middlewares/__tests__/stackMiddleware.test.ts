import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from '../../server.js';
import { createTempProject, type TempProject } from '../../__tests__/tempProject.js';
import type { GraphPayload } from '../../../shared/protocol.js';

let project: TempProject;
let server: DevServer;
let base: string;

beforeAll(async () => {
  project = await createTempProject('stack', {
    'index.html': '<!doctype html>',
    'src/main.ts': 'type T = number;\nconst x: T = 1;\nexport function f(): never {\n  throw new Error(String(x));\n}\n',
  });
  server = await createServer({ root: project.root, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});
afterAll(async () => {
  await server.close();
  await project.remove();
});

const post = (body: string, origin = base.slice(0, -1)) =>
  fetch(`${base}@devserver/stack`, { method: 'POST', body, headers: { origin, 'sec-fetch-site': origin === base.slice(0, -1) ? 'same-origin' : 'cross-site' } });

describe('POST /@devserver/stack', () => {
  it('maps frames of served modules to the original file, line and column', async () => {
    const payload = (await (await fetch(`${base}@devserver/modules?ids=/src/main.ts`)).json()) as GraphPayload;
    const { hash, code } = payload.modules[0];
    const lines = code.split('\n');
    const line = lines.findIndex((l) => l.includes('throw new Error')) + 1;
    const column = lines[line - 1].indexOf('new Error') + 1;
    const res = await post(`Error: 1\n    at f (${base}src/main.ts?v=${hash}:${line}:${column})\n    at native (unknown)`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Error: 1\n    at f (/src/main.ts:4:9)\n    at native (unknown)');
  });

  it('refuses other sites and oversized bodies', async () => {
    expect((await post('x', 'https://evil.example')).status).toBe(403);
    expect((await post('x'.repeat(40_000))).status).toBe(413);
  });
});

/** Reliability: a 50 MB file imported with `?raw` is served as a module and the server keeps answering. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from '../server.js';
import { createTempProject, type TempProject } from './tempProject.js';

const SIZE = 50 * 1024 * 1024;
let project: TempProject;
let server: DevServer;
let base: string;

beforeAll(async () => {
  project = await createTempProject('large', { 'index.html': '<!doctype html>', 'src/main.ts': "import big from './big.txt?raw';\nexport const size = big.length;\n" });
  await project.write('src/big.txt', 'x'.repeat(SIZE - 4) + 'END\n');
  server = await createServer({ root: project.root, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});
afterAll(async () => {
  await server.close();
  await project.remove();
});

describe('large files', () => {
  it('serves a 50 MB ?raw import whole, and stays responsive', async () => {
    const res = await fetch(`${base}@devserver/modules?ids=${encodeURIComponent('/src/big.txt?raw')}`);
    expect(res.status).toBe(200);
    const { modules } = (await res.json()) as { modules: Array<{ code: string }> };
    expect(modules[0].code.length).toBeGreaterThan(SIZE);
    expect(modules[0].code).toContain('END\\n"');
    expect((await fetch(base)).status).toBe(200);
  }, 60_000);
});

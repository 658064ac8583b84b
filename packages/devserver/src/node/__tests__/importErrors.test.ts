/**
 * What a page and the terminal are told about imports that cannot work (issue: errors
 * people can act on): a missing relative file, a package that is not installed, a Node
 * built-in, a package that fails to pre-bundle. Asserted word for word on the payload the
 * overlay renders, including the importer chain.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from '../server.js';
import type { GraphPayload } from '../../shared/protocol.js';
import { createTempProject, type TempProject } from './tempProject.js';

let root: string;
let server: DevServer;
let base: string;

let write: TempProject['write'];
let project: TempProject;

async function errorsOf(entry: string) {
  const res = await fetch(`${base}@devserver/graph?entry=${encodeURIComponent(entry)}`);
  expect(res.status).toBe(500);
  return ((await res.json()) as GraphPayload).errors;
}

beforeAll(async () => {
  project = await createTempProject('import-errors');
  ({ root, write } = project);
  await write('index.html', '<!doctype html>');
  await write('src/missing-file.ts', "import { x } from './nope';\nexport const y = x;\n");
  await write('src/missing-pkg.ts', "import left from 'left-pad-not-installed';\nexport default left;\n");
  await write('src/builtin.ts', "import fs from 'fs';\nexport default fs;\n");
  await write('src/broken-dep.ts', "import broken from 'broken-pkg';\nexport default broken;\n");
  await write('src/main.ts', "import './missing-file';\n");
  await write('node_modules/broken-pkg/package.json', JSON.stringify({ name: 'broken-pkg', version: '1.0.0', main: 'index.js' }));
  await write('node_modules/broken-pkg/index.js', 'module.exports = {\n  a: 1,,\n};\n');
  server = await createServer({ root, configFile: false, logLevel: 'silent', cacheDir: path.join(root, '.cache'), server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});
afterAll(async () => {
  await server.close();
  await project.remove();
});

describe('import errors', () => {
  it('names the importer, the specifier, the line and the chain for a missing file', async () => {
    const [error] = await errorsOf('/src/main.ts');
    expect(error).toMatchObject({
      code: 'ERR_UNRESOLVED_IMPORT',
      message: 'Failed to resolve import "./nope" from "/src/missing-file.ts". Does the file exist?',
      id: '/src/missing-file.ts',
      loc: { line: 1, column: 19 },
      importerChain: ['/src/missing-file.ts', '/src/main.ts'],
    });
    expect(error.frame).toContain("> 1 | import { x } from './nope';");
  });

  it('says how to install a package that is not installed', async () => {
    const [error] = await errorsOf('/src/missing-pkg.ts');
    expect(error).toMatchObject({
      code: 'ERR_DEP_NOT_INSTALLED',
      message: 'Dependency "left-pad-not-installed" is not installed (imported by src/missing-pkg.ts).',
      hint: 'Install it: pnpm add left-pad-not-installed (or npm install left-pad-not-installed).',
    });
  });

  it('explains that a Node built-in does not exist in the browser', async () => {
    const [error] = await errorsOf('/src/builtin.ts');
    expect(error.hint).toBe('"fs" is a Node.js built-in and does not exist in the browser; use a browser package instead.');
  });

  it('names the package, its importer and the failing file when pre-bundling fails', async () => {
    const [error] = await errorsOf('/src/broken-dep.ts');
    expect(error.code).toBe('ERR_DEP_OPTIMIZE');
    expect(error.message).toMatch(/^Pre-bundling "broken-pkg" \(imported by src\/broken-dep\.ts\) failed: .+ at node_modules\/broken-pkg\/index\.js:2:\d+$/);
    expect(error.hint).toBe('The package may not work in browsers; if it is ESM already, add "broken-pkg" to optimizeDeps.exclude.');
  });
});

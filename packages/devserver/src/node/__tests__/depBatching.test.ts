/**
 * A page load pre-bundles its dependencies in one build, also when a bare import is only
 * found below a module that itself imports a dependency (the importer does not wait for a
 * build before its own imports are crawled).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from '../server.js';
import { createTempProject, type TempProject } from './tempProject.js';
import type { GraphPayload } from '../../shared/protocol.js';

let project: TempProject;
let server: DevServer;
const lines: string[] = [];

const esmPackage = (name: string, value: string) => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'index.js' }),
  [`node_modules/${name}/index.js`]: `export default ${value};\n`,
});

beforeAll(async () => {
  project = await createTempProject('dep-batching', {
    'index.html': '<!doctype html>',
    'src/main.ts': "import a from 'dep-a';\nimport { b } from './child';\nexport const both = a + b;\n",
    'src/child.ts': "import { c } from './grandchild';\nexport const b = c;\n",
    'src/grandchild.ts': "import deep from 'dep-b';\nexport const c = deep;\n",
    ...esmPackage('dep-a', '1'),
    ...esmPackage('dep-b', '2'),
  });
  const sink = (line: string) => void lines.push(line);
  server = await createServer({
    root: project.root,
    configFile: false,
    cacheDir: `${project.root}/.cache`,
    customLogger: { info: sink, warn: sink, error: sink, debug: () => {} },
    server: { port: 0, host: '127.0.0.1' },
  });
  await server.listen();
});
afterAll(async () => {
  await server.close();
  await project.remove();
});

describe('dependency batching', () => {
  it('builds every dependency of a page in one pre-bundle', async () => {
    const res = await fetch(`${server.resolvedUrls!.local[0]}@devserver/graph?entry=/src/main.ts`);
    const graph = (await res.json()) as GraphPayload;
    expect(graph.errors).toEqual([]);
    const deps = graph.modules.filter((m) => m.url).map((m) => m.id).sort();
    expect(deps).toEqual(['/@deps/dep-a.js', '/@deps/dep-b.js']);
    expect(lines.filter((l) => l.startsWith('pre-bundling dependencies'))).toEqual(['pre-bundling dependencies: dep-a, dep-b']);
  });
});

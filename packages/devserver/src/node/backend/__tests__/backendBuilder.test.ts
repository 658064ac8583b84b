/**
 * The backend build: dependencies stay external but are written as the absolute file they
 * resolve to (the bundle lives in the cache dir), a linked workspace package (TypeScript,
 * outside node_modules) is bundled, source paths (`import.meta.url`, `__dirname`) mean the
 * source file, the input list names the app's files, and the result runs in Node.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackendBuilder, type BackendBuilder } from '../backendBuilder.js';
import { withSourcePaths } from '../sourcePaths.js';
import { tempProject, type TempProject } from './fixture.js';

let project: TempProject;
let builder: BackendBuilder;

beforeAll(async () => {
  project = await tempProject({
    'node_modules/fake-dep/package.json': JSON.stringify({ name: 'fake-dep', exports: { import: './esm.mjs', require: './cjs.cjs' } }),
    'node_modules/fake-dep/esm.mjs': "export const kind = 'esm';\n",
    'node_modules/fake-dep/cjs.cjs': "exports.kind = 'cjs';\n",
    'packages/linked/package.json': JSON.stringify({ name: 'linked', exports: './index.ts' }),
    'packages/linked/index.ts': "export const linked: string = 'from a linked package';\n",
    'server/data.txt': 'data next to the source\n',
    'server/main.ts': [
      "import fs from 'node:fs';",
      "import { kind } from 'fake-dep';",
      "import { linked } from 'linked';",
      "import { helper } from './helper';",
      "const data = fs.readFileSync(new URL('./data.txt', import.meta.url), 'utf8').trim();",
      "const required = require('fake-dep').kind;",
      'process.stdout.write(JSON.stringify({ kind, required, linked, data, helper, url: import.meta.url, dirname: __dirname, metaDirname: import.meta.dirname }));',
    ].join('\n'),
    'server/helper.ts': "const __dirname = 'my own';\nexport const helper = { own: __dirname, file: __filename };\n",
  });
  await fs.symlink(path.join(project.root, 'packages/linked'), project.file('node_modules/linked'), 'dir');
  builder = createBackendBuilder({ entry: project.file('server/main.ts'), root: project.root, outDir: project.file('.cache/backend') });
});

afterAll(async () => {
  await builder?.dispose();
  await project?.cleanup();
});

describe('backend builder', () => {
  it('builds a bundle that runs, with source paths and dependencies resolved from the source', async () => {
    const outcome = await builder.build();
    if (!outcome.ok) throw outcome.error;
    expect(path.dirname(outcome.file)).toBe(project.file('.cache/backend'));
    const run = spawnSync(process.execPath, [outcome.file], { cwd: project.root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      kind: 'esm',
      required: 'cjs',
      linked: 'from a linked package',
      data: 'data next to the source',
      helper: { own: 'my own', file: project.file('server/helper.ts') },
      url: pathToFileURL(project.file('server/main.ts')).href,
      dirname: project.file('server'),
      metaDirname: project.file('server'),
    });
    const code = await fs.readFile(outcome.file, 'utf8');
    expect(code).toContain(JSON.stringify(pathToFileURL(project.file('node_modules/fake-dep/esm.mjs')).href));
  });

  it('lists the files the backend is made of (not its dependencies)', async () => {
    const outcome = await builder.build();
    expect(outcome.ok).toBe(true);
    expect([...builder.inputs].sort()).toEqual(
      [project.file('packages/linked/index.ts'), project.file('server/helper.ts'), project.file('server/main.ts')].sort(),
    );
  });

  it('writes each build to its own file and prunes the ones not kept', async () => {
    const a = await builder.build();
    const b = await builder.build();
    if (!a.ok || !b.ok) throw new Error('build failed');
    expect(a.file).not.toBe(b.file);
    await builder.prune([b.file]);
    await expect(fs.access(a.file)).rejects.toThrow();
    await expect(fs.access(b.file)).resolves.toBeUndefined();
  });

  it('reports a syntax error as a failure, keeping the last inputs', async () => {
    const before = [...builder.inputs];
    await project.write('server/helper.ts', 'export const helper = ;\n');
    const outcome = await builder.build();
    expect(outcome.ok).toBe(false);
    expect([...builder.inputs]).toEqual(before);
  });

  it('keeps a #! line first when it adds source paths', () => {
    const out = withSourcePaths('#!/usr/bin/env node\nconsole.log(__dirname);\n', '/app/x.js');
    expect(out.split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(out.split('\n')[1]).toMatch(/^var __devserver_meta_url = "file:\/\/\/app\/x\.js", .*;console\.log\(__dirname\);$/);
  });
});

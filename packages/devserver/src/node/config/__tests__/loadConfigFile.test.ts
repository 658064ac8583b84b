import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DevServerError } from '../../errors.js';
import { loadConfigFile } from '../loadConfigFile.js';
import { DEFINE_CONFIG_PATH, tempProject, thrown } from './helpers.js';

const load = (root: string, configFile?: string) => loadConfigFile({ root, configFile, mode: 'development' });

describe('loadConfigFile', () => {
  it('returns null when the root has no config file', async () => {
    expect(await load(tempProject({ 'index.html': '' }))).toBeNull();
  });

  it('loads a TypeScript config written with defineConfig, and lists its imports', async () => {
    const root = tempProject({
      'devserver.config.ts': [
        `import { defineConfig } from ${DEFINE_CONFIG_PATH};`,
        `import { port } from './config/port';`,
        `const base: string = '/app/';`,
        `export default defineConfig({ base, server: { port } });`,
      ].join('\n'),
      'config/port.ts': 'export const port: number = 4000;',
    });
    const loaded = await load(root);
    expect(loaded?.config).toEqual({ base: '/app/', server: { port: 4000 } });
    expect(loaded?.file).toBe(path.join(root, 'devserver.config.ts'));
    expect(loaded?.dependencies).toContain(path.join(root, 'devserver.config.ts'));
    expect(loaded?.dependencies).toContain(path.join(root, 'config/port.ts'));
  });

  it('loads a plain exported object from .mjs', async () => {
    const root = tempProject({ 'devserver.config.mjs': 'export default { mode: "staging" };' });
    expect((await load(root))?.config).toEqual({ mode: 'staging' });
  });

  it('calls a function export (async too) with the mode and command', async () => {
    const root = tempProject({
      'devserver.config.js': 'export default async (env) => ({ define: { __ENV__: JSON.stringify(env) } });',
    });
    const loaded = await loadConfigFile({ root, mode: 'staging' });
    expect(JSON.parse(loaded?.config.define?.__ENV__ ?? '')).toEqual({ mode: 'staging', command: 'serve' });
  });

  it('prefers .ts over .js, and takes an explicit --config path', async () => {
    const root = tempProject({
      'devserver.config.ts': 'export default { mode: "ts" };',
      'devserver.config.js': 'export default { mode: "js" };',
      'other/custom.config.mjs': 'export default { mode: "custom" };',
    });
    expect((await load(root))?.config.mode).toBe('ts');
    const custom = path.join(root, 'other/custom.config.mjs');
    expect((await load(root, custom))?.config.mode).toBe('custom');
  });

  it('gives each file its own import.meta.url, __dirname and __filename', async () => {
    const root = tempProject({
      'devserver.config.ts': [
        `import { dir } from './lib/dir';`,
        `export default { root: dir, cacheDir: __dirname, base: import.meta.url, publicDir: __filename };`,
      ].join('\n'),
      'lib/dir.ts': `export const dir = new URL('.', import.meta.url).pathname;`,
    });
    const config = (await load(root))?.config;
    const file = path.join(root, 'devserver.config.ts');
    expect(config).toEqual({
      root: pathToFileURL(path.join(root, 'lib')).pathname + '/',
      cacheDir: root,
      base: pathToFileURL(file).href,
      publicDir: file,
    });
  });

  it('reports a syntax error with file, line, column, the esbuild message and a frame', async () => {
    const root = tempProject({
      'devserver.config.ts': ['export default {', '  server: {', '    port: 3000;', '  },', '};'].join('\n'),
    });
    const error = await thrown(() => load(root));
    expect(error).toBeInstanceOf(DevServerError);
    const e = error as DevServerError;
    const file = path.join(root, 'devserver.config.ts');
    expect(e.code).toBe('ERR_CONFIG');
    expect(e.message).toBe(`syntax error in config ${file}:3:15: Expected "}" but found ";"`);
    expect(e.details.loc).toEqual({ line: 3, column: 15 });
    expect(e.details.frame).toContain('> 3 |     port: 3000;');
    expect(e.details.frame).toMatch(/\n\s+\| {15}\^/);
  });

  it('reports the right column for an error on line 1 (after the injected prefix)', async () => {
    const root = tempProject({ 'devserver.config.js': 'export default { a: 1 +++ };' });
    const e = (await thrown(() => load(root))) as DevServerError;
    // The column points into the user's text, not into devserver's injected declarations.
    expect(e.message).toBe(`syntax error in config ${path.join(root, 'devserver.config.js')}:1:27: Unexpected "}"`);
    expect(e.details.frame).toContain('> 1 | export default { a: 1 +++ };');
  });

  it('counts columns in characters, not bytes', async () => {
    const root = tempProject({ 'devserver.config.js': 'export default { title: "héllo wörld" +++ };' });
    const e = (await thrown(() => load(root))) as DevServerError;
    expect(e.details.loc).toEqual({ line: 1, column: 43 });
  });

  it('names an imported file that has the syntax error', async () => {
    const root = tempProject({
      'devserver.config.ts': `import x from './broken';\nexport default { mode: x };`,
      'broken.ts': 'export default "a\n',
    });
    const e = (await thrown(() => load(root))) as DevServerError;
    expect(e.message).toContain(`${path.join(root, 'broken.ts')}:1:`);
    expect(e.message).toContain(`(imported by ${path.join(root, 'devserver.config.ts')})`);
  });

  it('reports an unresolved relative import with its location', async () => {
    const root = tempProject({ 'devserver.config.ts': `import x from './missing';\nexport default x;` });
    const e = (await thrown(() => load(root))) as DevServerError;
    expect(e.message).toBe(`cannot bundle config ${path.join(root, 'devserver.config.ts')}:1:15: Could not resolve "./missing"`);
  });

  it('names the file and the message when the config throws, without a stack', async () => {
    const root = tempProject({ 'devserver.config.mjs': 'throw new Error("no API_URL given");' });
    const e = (await thrown(() => load(root))) as DevServerError;
    const file = path.join(root, 'devserver.config.mjs');
    expect(e.code).toBe('ERR_CONFIG');
    expect(e.message).toBe(`failed to load config ${file}: no API_URL given`);
    expect(e.message).not.toContain('\n');
  });

  it('names the config file, not the temp bundle, for a missing package', async () => {
    const root = tempProject({ 'devserver.config.mjs': 'import "not-installed-pkg-xyz"; export default {};' });
    const e = (await thrown(() => load(root))) as DevServerError;
    expect(e.message).toContain(`failed to load config ${path.join(root, 'devserver.config.mjs')}: `);
    expect(e.message).toContain('not-installed-pkg-xyz');
    expect(e.message).not.toMatch(/\.\d+-\w+\.mjs/);
  });

  it('rejects exports that are not a config', async () => {
    const noDefault = tempProject({ 'devserver.config.mjs': 'export const config = {};' });
    expect(((await thrown(() => load(noDefault))) as Error).message).toContain('has no default export');
    const number = tempProject({ 'devserver.config.mjs': 'export default 42;' });
    expect(((await thrown(() => load(number))) as Error).message).toContain('(got number)');
  });

  it('says so when an explicit config file does not exist', async () => {
    const root = tempProject();
    const e = (await thrown(() => load(root, path.join(root, 'nope.config.ts')))) as DevServerError;
    expect(e.message).toBe(`config file ${path.join(root, 'nope.config.ts')} does not exist`);
  });

  it('deletes the temporary bundle', async () => {
    const root = tempProject({ 'devserver.config.mjs': 'export default {};', 'node_modules/.keep': '' });
    await load(root);
    const temp = path.join(root, 'node_modules/.devserver-temp');
    expect(fs.existsSync(temp) ? fs.readdirSync(temp) : []).toEqual([]);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver } from '../resolver.js';

let root: string;
const file = (rel: string, content = '') => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
};

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-resolve-')));
  file('src/main.ts');
  file('src/util.ts');
  file('src/comp.tsx');
  file('src/dir/index.ts');
  file('src/data.json', '{}');
  file('src/logo.svg', '<svg/>');
  file('lib/pkg/package.json', JSON.stringify({ name: 'linked', exports: { '.': { import: './src/index.ts' }, './sub': './src/sub.ts' } }));
  file('lib/pkg/src/index.ts');
  file('lib/pkg/src/sub.ts');
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(path.join(root, 'lib/pkg'), path.join(root, 'node_modules/linked'));
  file('node_modules/real-dep/package.json', JSON.stringify({ name: 'real-dep', main: 'index.js' }));
  file('node_modules/real-dep/index.js');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('resolver', () => {
  const importer = () => path.join(root, 'src/main.ts');
  const resolver = () => createResolver({ root, alias: [{ find: '@/', replacement: path.join(root, 'src') + '/' }] });

  it.each([
    ['./util', '/src/util.ts'],
    ['./util.js', '/src/util.ts'],
    ['./comp', '/src/comp.tsx'],
    ['./dir', '/src/dir/index.ts'],
    ['/src/util.ts', '/src/util.ts'],
    ['./data.json', '/src/data.json'],
    ['./logo.svg?raw', '/src/logo.svg?raw'],
    ['@/util', '/src/util.ts'],
    ['linked', '/lib/pkg/src/index.ts'],
    ['linked/sub', '/lib/pkg/src/sub.ts'],
  ])('%s -> %s', (spec, id) => {
    expect(resolver().resolve(spec, importer())).toMatchObject({ type: 'file', id });
  });

  it('hands real node_modules packages to the pre-bundler', () => {
    expect(resolver().resolve('real-dep', importer())).toEqual({ type: 'bare', specifier: 'real-dep' });
    expect(resolver().resolve('react/jsx-dev-runtime', importer())).toEqual({ type: 'bare', specifier: 'react/jsx-dev-runtime' });
  });

  it('leaves URLs to the browser', () => {
    expect(resolver().resolve('https://esm.sh/x', importer())).toEqual({ type: 'external', id: 'https://esm.sh/x' });
  });

  it('names the importer and the specifier when nothing matches', () => {
    expect(() => resolver().resolve('./missing', importer())).toThrow(/Failed to resolve import "\.\/missing" from "\/src\/main\.ts"/);
  });

  it('maps files outside the root to /@fs/ ids and back', () => {
    const r = resolver();
    expect(r.idOf('/elsewhere/x.ts')).toBe('/@fs/elsewhere/x.ts');
    expect(r.fileOf('/@fs/elsewhere/x.ts')).toBe('/elsewhere/x.ts');
    expect(r.fileOf('/src/a.ts?raw')).toBe(path.join(root, 'src/a.ts'));
  });
});

/**
 * Bare-specifier parsing and package entry resolution: legacy fields, the `browser` file
 * map, folder subpaths, walking up to a workspace root, and the built-in hint.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDevServerError } from '../../errors.js';
import { depFileStem, entryCode } from '../depEntry.js';
import { isExcludedDep, parseBareSpecifier, resolveDep } from '../resolveDep.js';
import { makeTempDir } from './helpers.js';

let base: string;

async function write(file: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(path.join(base, file)), { recursive: true });
  await fs.writeFile(path.join(base, file), content);
}

beforeEach(async () => {
  base = await makeTempDir('resolve');
  await write('node_modules/legacy/package.json', JSON.stringify({
    name: 'legacy', main: 'lib/node', browser: { './lib/node.js': './lib/browser.js' },
  }));
  await write('node_modules/legacy/lib/node.js', 'exports.env = "node";\n');
  await write('node_modules/legacy/lib/browser.js', 'exports.env = "browser";\n');
  await write('node_modules/legacy/fp/package.json', JSON.stringify({ main: './fp.js' }));
  await write('node_modules/legacy/fp/fp.js', 'exports.fp = 1;\n');
  await write('packages/app/src/main.js', '');
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe('parseBareSpecifier', () => {
  it('splits names and subpaths, refuses what is not a package import', () => {
    expect(parseBareSpecifier('react')).toEqual({ name: 'react', subpath: '.' });
    expect(parseBareSpecifier('react-dom/client')).toEqual({ name: 'react-dom', subpath: './client' });
    expect(parseBareSpecifier('@scope/pkg/a/b')).toEqual({ name: '@scope/pkg', subpath: './a/b' });
    for (const bad of ['./x', '/x', 'node:fs', 'https://x', '@scope', 'a/../b', 'a//b', 'a\\b', '']) {
      expect(parseBareSpecifier(bad)).toBeNull();
    }
  });

  it('matches exclude by specifier or package name', () => {
    expect(isExcludedDep('lodash-es/debounce', ['lodash-es'])).toBe(true);
    expect(isExcludedDep('lodash', ['lodash-es'])).toBe(false);
    expect(isExcludedDep('@a/b/c', ['@a/b/c'])).toBe(true);
  });
});

describe('resolveDep', () => {
  it('walks up from a nested workspace package and applies the browser file map', async () => {
    const importer = path.join(base, 'packages/app/src/main.js');
    const resolved = await resolveDep('legacy', importer, path.join(base, 'packages/app'));
    expect(resolved.entry).toBe(path.join(base, 'node_modules/legacy/lib/browser.js'));
    expect(resolved.resolveDir).toBe(base);
    const fp = await resolveDep('legacy/fp', importer, base);
    expect(fp.entry).toBe(path.join(base, 'node_modules/legacy/fp/fp.js'));
  });

  it('hints that a Node built-in does not exist in the browser', async () => {
    const error: unknown = await resolveDep('fs', path.join(base, 'packages/app/src/main.js'), base).catch((e: unknown) => e);
    expect(isDevServerError(error) && error.code).toBe('ERR_DEP_NOT_INSTALLED');
    expect(isDevServerError(error) && error.details.hint).toContain('Node.js built-in');
  });
});

describe('entry code', () => {
  it('flattens ids and aliases reserved-word exports', () => {
    expect(depFileStem('@scope/pkg/sub')).toBe('@scope_pkg_sub');
    expect(depFileStem('react/jsx-dev-runtime')).toBe('react_jsx-dev-runtime');
    expect(entryCode('x', { kind: 'cjs', hasDefault: true, names: ['a', 'new'] })).toBe(
      'import * as __dep from "x";\nexport default __dep.default;\nconst { "a": __n0, "new": __n1 } = __dep;\nexport { __n0 as a, __n1 as new };\n',
    );
    expect(entryCode('y', { kind: 'esm', hasDefault: false, names: [] })).toBe('export * from "y";\n');
  });
});

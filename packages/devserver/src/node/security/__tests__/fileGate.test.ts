/**
 * The file gate against a real temp workspace (see fixture.ts): canary secrets inside the
 * project (`.env`, `id.pem`, …) and outside it, pnpm-style symlinks that must work, and
 * symlinks that point outside or at denied files, which must not.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileGate, findDefaultAllowRoot, type FileGate, type FileGateResult } from '../fileGate.js';
import { createFixture, type Fixture } from './fixture.js';

let fx: Fixture;
let tmp: string;
let ws: string;
let root: string;
let outside: string;
let gate: FileGate;

beforeAll(() => {
  fx = createFixture();
  ({ tmp, ws, root, outside } = fx);
  gate = createFileGate({ allow: [findDefaultAllowRoot(root)] });
});

afterAll(() => fx.cleanup());

function reasonOf(r: FileGateResult): string {
  return r.ok ? 'ok' : r.reason;
}

describe('findDefaultAllowRoot', () => {
  it('finds the pnpm workspace above the project', () => {
    expect(findDefaultAllowRoot(root)).toBe(ws);
    expect(gate.roots).toEqual([ws]);
  });
});

describe('checkUrlPath: files that must be served', () => {
  it.each([
    ['/src/main.ts', 'src/main.ts'],
    ['/index.html', 'index.html'],
    ['/public/logo.svg', 'public/logo.svg'],
    ['/src/../index.html', 'index.html'],
    ['//src//main.ts', 'src/main.ts'],
    ['/./src/./main.ts', 'src/main.ts'],
  ])('%s', async (url, rel) => {
    expect(await gate.checkUrlPath(root, url)).toEqual({ ok: true, realPath: path.join(root, rel) });
  });

  it('follows pnpm symlinks that stay in the workspace', async () => {
    const dep = await gate.checkUrlPath(root, '/node_modules/dep/index.js');
    expect(dep).toEqual({
      ok: true,
      realPath: path.join(ws, 'node_modules', '.pnpm', 'dep@1.0.0', 'node_modules', 'dep', 'index.js'),
    });
    const lib = await gate.checkUrlPath(root, '/node_modules/lib/index.ts');
    expect(lib).toEqual({ ok: true, realPath: path.join(ws, 'packages', 'lib', 'index.ts') });
  });

  it('serves /@fs/ paths inside the workspace', async () => {
    const r = await gate.checkUrlPath(root, `/@fs${ws}/packages/lib/index.ts`);
    expect(r).toEqual({ ok: true, realPath: path.join(ws, 'packages', 'lib', 'index.ts') });
  });

  it('accepts an allowed root given through a symlink and returns real paths', async () => {
    const viaLink = createFileGate({ allow: [path.join(tmp, 'ws-link')] });
    expect(viaLink.roots).toEqual([ws]);
    const r = await viaLink.check(path.join(tmp, 'ws-link', 'apps', 'web', 'src', 'main.ts'));
    expect(r).toEqual({ ok: true, realPath: path.join(root, 'src', 'main.ts') });
  });
});

describe('checkUrlPath: traversal out of the root (class 1)', () => {
  it.each([
    '/../../../outside/secret.txt',
    '/../secret.txt',
    '/..',
    '/src/../../index.html',
    '/src/../../../../outside/secret.txt',
    '//../outside/secret.txt',
    '/./../outside/secret.txt',
    '/../../packages/lib/index.ts', // inside the workspace, but above the URL root
    '/@fs/../etc/passwd',
  ])('refuses %s as outside-roots', async (url) => {
    expect(reasonOf(await gate.checkUrlPath(root, url))).toBe('outside-roots');
  });

  it.each([
    '/escape.txt',
    '/escape-dir/x.txt',
    '/public/abs-escape/secret.txt',
    '/public/abs-escape/dir/x.txt',
  ])('refuses the symlink escape %s', async (url) => {
    expect(reasonOf(await gate.checkUrlPath(root, url))).toBe('outside-roots');
  });

  it('refuses /@fs/ outside every allowed root, whether the file exists or not', async () => {
    for (const url of [
      `/@fs${outside}/secret.txt`,
      `/@fs${outside}/missing.txt`,
      `/@fs${root}/../../../outside/secret.txt`,
      `/@fs${root}/../../../outside/../outside/secret.txt`,
      '/@fs/etc/passwd',
      '/@fs/',
      '/@fs',
      '/@fs//etc//passwd',
    ]) {
      expect(reasonOf(await gate.checkUrlPath(root, url)), url).toBe('outside-roots');
    }
  });

  it('refuses malformed input defensively', async () => {
    expect(reasonOf(await gate.checkUrlPath(root, 'src/main.ts'))).toBe('outside-roots');
    expect(reasonOf(await gate.checkUrlPath(root, '/src/main.ts\0'))).toBe('denied');
    expect(reasonOf(await gate.checkUrlPath(root, '/..\\..\\outside\\secret.txt'))).toBe('denied');
  });
});

describe('checkUrlPath: denied names and tricks (class 3)', () => {
  it.each([
    '/.env',
    '/.ENV',
    '/.Env',
    '/.env/.',
    '/.env/',
    '/./.env',
    '/src/../.env',
    '/.env.',
    '/.env..',
    '/.env ',
    '/.env. .',
    '/.env::$DATA',
    '/.env:stream',
    '/.env.local',
    '/.ENV.LOCAL.',
    '/id.pem',
    '/ID.PEM',
    '/id.pem.',
    '/id.pem ',
    '/certs/server.KEY',
    '/certs/server.key',
    '/certs/a.crt',
    '/certs/b.p12',
    '/certs/c.pfx',
    '/.npmrc',
    '/.NPMRC.',
    '/.git/config',
    '/.GIT/config',
    '/.git',
    '/.git/',
    '/innocent.txt', // symlink to .env
    '/innocent-dir/server.KEY', // symlinked dir holding a key
    '/node_modules/lib/.env', // denied in a linked workspace package
    '/missing/.env', // denied even if absent: no existence oracle
    '/src/.env.production',
  ])('%s', async (url) => {
    expect(reasonOf(await gate.checkUrlPath(root, url))).toBe('denied');
  });

  it('denies through /@fs/ too', async () => {
    for (const url of [`/@fs${root}/.env`, `/@fs${root}/.ENV`, `/@fs${root}/certs/../id.pem`, `/@fs${ws}/packages/lib/.env`]) {
      expect(reasonOf(await gate.checkUrlPath(root, url)), url).toBe('denied');
    }
  });
});

describe('check(absPath)', () => {
  it('answers not-found only for allowed, non-denied paths', async () => {
    expect(reasonOf(await gate.check(path.join(root, 'src', 'missing.ts')))).toBe('not-found');
    expect(reasonOf(await gate.check(path.join(root, 'loop')))).toBe('not-found');
    expect(reasonOf(await gate.check(path.join(root, 'index.html', 'x')))).toBe('not-found');
    expect(reasonOf(await gate.check(path.join(outside, 'missing.txt')))).toBe('outside-roots');
    expect(reasonOf(await gate.check(path.join(root, 'missing.pem')))).toBe('denied');
  });

  it('refuses relative, escaping and NUL paths', async () => {
    expect(reasonOf(await gate.check('src/main.ts'))).toBe('outside-roots');
    expect(reasonOf(await gate.check(`${root}/../../../outside/secret.txt`))).toBe('outside-roots');
    expect(reasonOf(await gate.check(`${root}/.env\0.js`))).toBe('denied');
    expect(reasonOf(await gate.check('/'))).toBe('outside-roots');
  });

  it('applies extra deny patterns on top of the defaults', async () => {
    const custom = createFileGate({ allow: [ws], deny: ['secrets/**', '*.{sqlite,db}', '**/private/*.json'] });
    expect(reasonOf(await custom.checkUrlPath(root, '/secrets/db.json'))).toBe('denied');
    expect(reasonOf(await custom.checkUrlPath(root, '/x/private/a.json'))).toBe('denied');
    expect(reasonOf(await custom.checkUrlPath(root, '/data.SQLITE'))).toBe('denied');
    expect(reasonOf(await custom.checkUrlPath(root, '/.env'))).toBe('denied');
    expect(reasonOf(await custom.checkUrlPath(root, '/src/main.ts'))).toBe('ok');
  });

  it('serves nothing with an empty allow list', async () => {
    const none = createFileGate({ allow: [] });
    expect(reasonOf(await none.checkUrlPath(root, '/src/main.ts'))).toBe('outside-roots');
  });

  it('never returns a real path outside the allowed roots (random walk)', async () => {
    const parts = ['..', '.', '', 'src', 'escape-dir', 'escape.txt', 'public', 'abs-escape', 'dir', 'x.txt', 'secret.txt', 'node_modules', 'lib', '@fs'];
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const url = '/' + Array.from({ length: 1 + rand(6) }, () => parts[rand(parts.length)]).join('/');
      const r = await gate.checkUrlPath(root, url);
      if (r.ok) expect(r.realPath.startsWith(ws + path.sep) || r.realPath === ws, url).toBe(true);
    }
  });
});

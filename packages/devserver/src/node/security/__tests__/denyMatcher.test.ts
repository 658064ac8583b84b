import { describe, expect, it } from 'vitest';
import { createDenyMatcher, DEFAULT_DENY, segmentForms } from '../denyMatcher.js';

const split = (p: string): string[] => p.split('/').filter(Boolean);

describe('createDenyMatcher(DEFAULT_DENY)', () => {
  const denied = createDenyMatcher(DEFAULT_DENY);

  it.each([
    '.env',
    '.ENV',
    'sub/dir/.env',
    '.env.local',
    '.env.production.local',
    '.env/inner.txt',
    '.env.',
    '.env...',
    '.env ',
    '.env . ',
    '.env::$DATA',
    '.env:x',
    'id.pem',
    'a/b/ID.PEM',
    'x.crt',
    'x.key',
    'x.KEY.',
    'x.p12',
    'x.pfx',
    '.npmrc',
    '.git',
    '.git/config',
    'pkg/.git/HEAD',
    '.GIT/objects/ab/cd',
  ])('denies %s', (p) => {
    expect(denied(split(p))).toBe(true);
  });

  it.each(['src/main.ts', 'env', '.envrc.ts.map', 'environment.ts', 'src/env.ts', '.gitignore', '.github/x.yml', 'keys.ts', 'pem.js', 'a.pem.js', 'npmrc', 'x.keystore'])(
    'allows %s',
    (p) => {
      expect(denied(split(p))).toBe(false);
    },
  );
});

describe('createDenyMatcher: glob features', () => {
  it('supports *, ?, **, braces and anchoring', () => {
    const denied = createDenyMatcher(['secrets/**', '*.{sqlite,db}', '**/private/*.json', 'config/prod?.json', '/top.txt']);
    expect(denied(split('secrets'))).toBe(true);
    expect(denied(split('secrets/a/b.txt'))).toBe(true);
    expect(denied(split('x/secrets/a'))).toBe(true); // `secrets/**` is a segment pattern
    expect(denied(split('a.sqlite'))).toBe(true);
    expect(denied(split('d/a.DB'))).toBe(true);
    expect(denied(split('a.sqlite3'))).toBe(false);
    expect(denied(split('private/a.json'))).toBe(true);
    expect(denied(split('x/y/private/a.json'))).toBe(true);
    expect(denied(split('x/private/sub/a.json'))).toBe(false);
    expect(denied(split('config/prod1.json'))).toBe(true);
    expect(denied(split('config/prod12.json'))).toBe(false);
    expect(denied(split('x/config/prod1.json'))).toBe(false); // anchored to the root
    expect(denied(split('top.txt'))).toBe(true);
    expect(denied(split('x/top.txt'))).toBe(false);
  });

  it('treats regex characters literally and never throws on odd patterns', () => {
    const odd = ['[', '(', '{a,b', 'a}', '\\', '+', '$^', '.*', '', '   ', '**', '/', 'a|b'];
    const denied = createDenyMatcher(odd);
    expect(denied(split('a|b'))).toBe(true);
    expect(denied(split('{a,b'))).toBe(true);
    expect(denied(split('ab'))).toBe(false);
    expect(denied(split('src/main.ts'))).toBe(false);
  });

  it('segmentForms gives the Windows-equivalent names', () => {
    expect(segmentForms('.env. .')).toEqual(['.env. .', '.env']);
    expect(segmentForms('.env::$DATA')).toEqual(['.env::$DATA', '.env']);
    expect(segmentForms('main.ts')).toEqual(['main.ts']);
    expect(segmentForms('...')).toEqual(['...']);
  });
});

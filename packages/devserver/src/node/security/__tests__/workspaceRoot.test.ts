import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findDefaultAllowRoot } from '../workspaceRoot.js';

let tmp: string;
beforeEach(() => {
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'devserver-ws-')));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, content: string): void {
  const file = path.join(tmp, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

describe('findDefaultAllowRoot', () => {
  it('returns the nearest pnpm workspace', () => {
    write('pnpm-workspace.yaml', 'packages: []');
    write('apps/web/package.json', '{"name":"web"}');
    expect(findDefaultAllowRoot(path.join(tmp, 'apps', 'web'))).toBe(tmp);
  });

  it('returns the nearest package.json with workspaces (array or object)', () => {
    write('package.json', '{"workspaces":["packages/*"]}');
    write('packages/a/package.json', '{"name":"a"}');
    expect(findDefaultAllowRoot(path.join(tmp, 'packages', 'a'))).toBe(tmp);
    write('package.json', '{"workspaces":{"packages":["packages/*"]}}');
    expect(findDefaultAllowRoot(path.join(tmp, 'packages', 'a'))).toBe(tmp);
  });

  it('skips package.json files without workspaces and broken ones', () => {
    write('pnpm-workspace.yaml', '');
    write('mid/package.json', '{ broken');
    write('mid/app/package.json', '{"name":"app"}');
    expect(findDefaultAllowRoot(path.join(tmp, 'mid', 'app'))).toBe(tmp);
  });

  it('falls back to the root itself', () => {
    write('proj/package.json', '{"name":"p"}');
    expect(findDefaultAllowRoot(path.join(tmp, 'proj'))).toBe(path.join(tmp, 'proj'));
  });

  it('prefers the project itself when it is the workspace root', () => {
    write('pnpm-workspace.yaml', '');
    expect(findDefaultAllowRoot(tmp)).toBe(tmp);
  });
});

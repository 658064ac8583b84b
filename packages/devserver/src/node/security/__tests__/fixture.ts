/**
 * A temp pnpm workspace with canary secrets, used by the file gate and composed tests:
 *
 *   <tmp>/outside/secret.txt, outside/dir/x.txt       secrets outside every allowed root
 *   <tmp>/ws/pnpm-workspace.yaml                      the default allowed root
 *   <tmp>/ws/node_modules/.pnpm/dep@1.0.0/…           pnpm virtual store
 *   <tmp>/ws/packages/lib/{index.ts,.env}             a linked workspace package
 *   <tmp>/ws/apps/web/                                the project root, holding
 *     index.html, src/main.ts, public/logo.svg        files to serve
 *     .env, .env.local, id.pem, certs/*, .npmrc, .git/config, secrets/db.json   canaries
 *     node_modules/{dep,lib}                          pnpm symlinks (must work)
 *     escape.txt, escape-dir, public/abs-escape       symlinks out of the workspace
 *     innocent.txt -> .env, innocent-dir -> certs     symlinks to denied files
 *     loop -> loop                                    a symlink loop
 *   <tmp>/ws-link -> ws                               a symlinked allowed root
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Fixture {
  tmp: string;
  ws: string;
  root: string;
  outside: string;
  /** Every secret's content; none of them may ever appear in a response. */
  canaries: string[];
  cleanup(): void;
}

export function createFixture(): Fixture {
  const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'devserver-gate-')));
  const ws = path.join(tmp, 'ws');
  const root = path.join(ws, 'apps', 'web');
  const outside = path.join(tmp, 'outside');
  const canaries: string[] = [];
  const write = (file: string, content: string): void => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (content.includes('CANARY')) canaries.push(content);
  };
  write(path.join(outside, 'secret.txt'), 'OUTSIDE_SECRET_CANARY');
  write(path.join(outside, 'dir', 'x.txt'), 'OUTSIDE_DIR_CANARY');
  write(path.join(ws, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n  - packages/*\n');
  write(path.join(ws, 'node_modules', '.pnpm', 'dep@1.0.0', 'node_modules', 'dep', 'index.js'), 'export {}');
  write(path.join(ws, 'packages', 'lib', 'index.ts'), 'export const lib = 1;');
  write(path.join(ws, 'packages', 'lib', '.env'), 'LIB_ENV_CANARY');
  write(path.join(root, 'index.html'), '<!doctype html>');
  write(path.join(root, 'src', 'main.ts'), 'console.log(1)');
  write(path.join(root, 'public', 'logo.svg'), '<svg/>');
  write(path.join(root, '.env'), 'ENV_CANARY');
  write(path.join(root, '.env.local'), 'ENV_LOCAL_CANARY');
  write(path.join(root, 'id.pem'), 'PEM_CANARY');
  write(path.join(root, 'certs', 'server.KEY'), 'KEY_CANARY');
  write(path.join(root, 'certs', 'a.crt'), 'CRT_CANARY');
  write(path.join(root, 'certs', 'b.p12'), 'P12_CANARY');
  write(path.join(root, 'certs', 'c.pfx'), 'PFX_CANARY');
  write(path.join(root, '.npmrc'), '//registry.npmjs.org/:_authToken=NPMRC_CANARY');
  write(path.join(root, '.git', 'config'), 'GIT_CANARY');
  write(path.join(root, 'secrets', 'db.json'), '{"custom":"not a default canary"}');
  mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  symlinkSync('../../../node_modules/.pnpm/dep@1.0.0/node_modules/dep', path.join(root, 'node_modules', 'dep'));
  symlinkSync('../../../packages/lib', path.join(root, 'node_modules', 'lib'));
  symlinkSync('../../../outside/secret.txt', path.join(root, 'escape.txt'));
  symlinkSync('../../../outside/dir', path.join(root, 'escape-dir'));
  symlinkSync(outside, path.join(root, 'public', 'abs-escape'));
  symlinkSync('.env', path.join(root, 'innocent.txt'));
  symlinkSync('certs', path.join(root, 'innocent-dir'));
  symlinkSync('loop', path.join(root, 'loop'));
  symlinkSync(ws, path.join(tmp, 'ws-link'));
  return { tmp, ws, root, outside, canaries, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

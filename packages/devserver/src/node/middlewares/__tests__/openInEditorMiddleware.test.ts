/**
 * The open-in-editor endpoint over real HTTP on 127.0.0.1:0 with a fake spawn: refused
 * cross-origin or without Fetch Metadata/Origin, refused for files outside the allowed
 * roots or on the deny list, 501 without an editor, and the right argv (no shell) for a
 * same-origin request. The e2e overlay test runs it with a real (fake-editor) process.
 */
import { EventEmitter } from 'node:events';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileGate } from '../../security/fileGate.js';
import { editorArgs, openInEditorMiddleware } from '../openInEditorMiddleware.js';

interface Spawned {
  command: string;
  args: string[];
  options: SpawnOptions;
}

let root: string;
let server: http.Server;
let base: string;
let spawned: Spawned[];
let env: NodeJS.ProcessEnv;
let failSpawn: boolean;

const silent = { info() {}, warn() {}, error() {}, debug() {} };

function fakeSpawn(command: string, args: string[], options: SpawnOptions): ChildProcess {
  spawned.push({ command, args, options });
  const child = new EventEmitter() as ChildProcess;
  child.unref = () => undefined;
  queueMicrotask(() => (failSpawn ? child.emit('error', new Error('spawn ENOENT')) : child.emit('spawn')));
  return child;
}

beforeEach(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-editor-')));
  await fs.mkdir(path.join(root, 'src'));
  await fs.writeFile(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
  await fs.writeFile(path.join(root, '.env'), 'SECRET=1\n');
  spawned = [];
  failSpawn = false;
  env = { EDITOR: 'code', PATH: '' };
  const middleware = openInEditorMiddleware({ root, gate: createFileGate({ allow: [root] }), logger: silent, env, spawn: fakeSpawn });
  server = http.createServer((req, res) => {
    void middleware(req, res, () => {
      res.statusCode = 404;
      res.end('next');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fs.rm(root, { recursive: true, force: true });
});

/** GET with the headers a same-origin fetch sends unless overridden. */
function get(query: string, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) {
  return fetch(`${base}/@devserver/open-in-editor?${query}`, { headers });
}

describe('openInEditorMiddleware', () => {
  it('opens a project file at its position, without a shell, detached', async () => {
    const res = await get(`file=${encodeURIComponent(path.join(root, 'src/a.ts'))}:3:7`);
    expect(res.status).toBe(204);
    expect(spawned).toEqual([
      { command: 'code', args: ['-g', `${path.join(root, 'src/a.ts')}:3:7`], options: expect.objectContaining({ shell: false, detached: true }) },
    ]);
  });

  it('takes a URL path and line/column params too', async () => {
    env.EDITOR = 'nvim';
    const res = await get('file=/src/a.ts&line=2&column=4');
    expect(res.status).toBe(204);
    expect(spawned[0].args).toEqual(['+2', path.join(root, 'src/a.ts')]);
  });

  it('refuses cross-origin requests and requests without Fetch Metadata or Origin', async () => {
    const file = encodeURIComponent(path.join(root, 'src/a.ts'));
    expect((await get(`file=${file}`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(`file=${file}`, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await get(`file=${file}`, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(`file=${file}`, {})).status).toBe(403);
    expect((await get(`file=${file}`, { origin: base })).status).toBe(204);
    expect(spawned).toHaveLength(1);
  });

  it('refuses files outside the allowed roots or on the deny list, whether they exist or not', async () => {
    for (const file of ['/etc/passwd', '/etc/nope', path.join(root, '.env'), '/.env', '/src/../../etc/passwd', path.join(os.tmpdir(), 'x.ts')]) {
      const res = await get(`file=${encodeURIComponent(file)}`);
      expect(res.status, file).toBe(403);
      expect(await res.text()).not.toContain('SECRET');
    }
    expect((await get(`file=${encodeURIComponent(path.join(root, 'src/missing.ts'))}`)).status).toBe(404);
    expect((await get('file=')).status).toBe(400);
    expect(spawned).toEqual([]);
  });

  it('answers 501 with a hint when no editor is configured, 500 when it cannot start', async () => {
    delete env.EDITOR;
    const res = await get('file=/src/a.ts');
    expect(res.status).toBe(501);
    expect(await res.text()).toContain('hint: set EDITOR');
    env.EDITOR = '/no/such/editor';
    failSpawn = true;
    expect((await get('file=/src/a.ts')).status).toBe(500);
  });

  it('leaves other paths to the next middleware', async () => {
    expect((await fetch(`${base}/src/a.ts`)).status).toBe(404);
  });
});

describe('editorArgs', () => {
  const target = { file: '/p/a.ts', line: 3, column: 5 };
  it('follows each editor family', () => {
    expect(editorArgs('/usr/bin/code', target)).toEqual(['-g', '/p/a.ts:3:5']);
    expect(editorArgs('vim', target)).toEqual(['+3', '/p/a.ts']);
    expect(editorArgs('webstorm', target)).toEqual(['--line', '3', '--column', '5', '/p/a.ts']);
    expect(editorArgs('subl', target)).toEqual(['/p/a.ts:3:5']);
    expect(editorArgs('my-editor', target)).toEqual(['/p/a.ts']);
  });
});

/**
 * The real `devserver` binary, as a user runs it: the start banner, a taken port (moving on,
 * or failing with --strictPort), a missing root, a broken config file, and clean exit on
 * SIGTERM. Messages are asserted word for word: they are the product here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../packages/devserver/bin/devserver.js', import.meta.url));
let dir: string;

interface Run {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>;
  exited: Promise<number | null>;
}

function run(args: string[], cwd = dir): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    waiters.forEach((w) => w());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(text);
          if (m) {
            waiters.delete(check);
            resolve(m);
          }
        };
        waiters.add(check);
        exited.then(() => setImmediate(() => (pattern.exec(text) ? check() : reject(new Error(`exited before ${pattern}:\n${text}`)))));
        check();
      }),
  };
}

function occupyPort(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-cli-'));
  await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><h1>cli</h1>');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('devserver CLI', () => {
  it('prints the local URL once ready, serves the page, and exits 0 on SIGTERM', async () => {
    const cli = run(['.', '--port', '0', '--host', '127.0.0.1']);
    const [, url] = await cli.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
    expect(await (await fetch(url)).text()).toContain('<h1>cli</h1>');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('moves to the next port when the port is taken', async () => {
    const blocker = await occupyPort();
    const port = (blocker.address() as net.AddressInfo).port;
    const cli = run(['.', '--port', String(port), '--host', '127.0.0.1']);
    await cli.waitFor(new RegExp(`port ${port} is in use, trying ${port + 1}`));
    await cli.waitFor(/Local:\s+http:\/\/127\.0\.0\.1:\d+\//);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    blocker.close();
  });

  it('fails with a clear message and a hint on a taken port with --strictPort', async () => {
    const blocker = await occupyPort();
    const port = (blocker.address() as net.AddressInfo).port;
    const cli = run(['.', '--port', String(port), '--host', '127.0.0.1', '--strictPort']);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain(`error: Port ${port} is already in use`);
    expect(cli.output()).toContain(`hint: stop the program using it, pick another with --port ${port + 1}, or drop --strictPort to move to a free port`);
    expect(cli.output()).not.toMatch(/\n\s+at /); // no stack trace
    blocker.close();
  });

  it('says what is wrong when the root does not exist', async () => {
    const missing = path.join(dir, 'nope');
    const cli = run([missing, '--port', '0']);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain(`error: root ${missing} does not exist`);
    expect(cli.output()).toContain('hint:');
    expect(cli.output()).not.toMatch(/\n\s+at /);
  });

  it('points at the file, line and column of a config syntax error', async () => {
    const project = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-cli-config-'));
    await fs.writeFile(path.join(project, 'index.html'), '<h1>x</h1>');
    await fs.writeFile(path.join(project, 'devserver.config.ts'), 'export default {\n  server: { port: 3000, },\n  plugins: [,,\n  oops here\n};\n');
    const cli = run(['.', '--port', '0'], project);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toMatch(/error: syntax error in config .*devserver\.config\.ts:4:\d+/);
    expect(cli.output()).not.toMatch(/\n\s+at /);
    await fs.rm(project, { recursive: true, force: true });
  });

  it('names an unknown config key with its line and a suggestion', async () => {
    const project = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-cli-config-'));
    await fs.writeFile(path.join(project, 'index.html'), '<h1>x</h1>');
    await fs.writeFile(path.join(project, 'devserver.config.ts'), 'export default {\n  server: {\n    prot: 3000,\n  },\n};\n');
    const cli = run(['.', '--port', '0'], project);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toMatch(/server\.prot/);
    expect(cli.output()).toMatch(/devserver\.config\.ts:3/);
    expect(cli.output()).toMatch(/did you mean `?server\.port`?/);
    await fs.rm(project, { recursive: true, force: true });
  });
});

describe('devserver CLI without index.html', () => {
  it('warns at start and explains on / when the root has no index.html', async () => {
    const project = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-cli-noindex-'));
    const cli = run(['.', '--port', '0', '--host', '127.0.0.1'], project);
    const [, url] = await cli.waitFor(/Local:\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
    await cli.waitFor(/warning: no index\.html in .*, so \/ has nothing to show/);
    const res = await fetch(url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('hint: create index.html with <script type="module" src="/src/main.ts"></script>');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    await fs.rm(project, { recursive: true, force: true });
  });
});

/**
 * Runs the real `devserver` CLI in a child process, bundled with esbuild against a fake
 * `./server.js` (the fake reports what it received and behaves as FAKE_SERVER says), so
 * flags, the banner, error printing, exit codes and signal handling are tested end to end
 * without a real server.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = import.meta.dirname;
let dir: string;
let cliFile: string;

const FAKE_SERVER = `
import { DevServerError } from ${JSON.stringify(path.resolve(here, '../errors.ts'))};
import { createLogger } from ${JSON.stringify(path.resolve(here, '../logger.ts'))};
const say = (line) => process.stdout.write(line + '\\n');
export async function createServer(options) {
  const mode = process.env.FAKE_SERVER ?? 'ok';
  say('OPTIONS ' + JSON.stringify(options));
  if (mode === 'config-error') {
    throw new DevServerError('ERR_CONFIG_UNKNOWN_KEY', 'unknown config key \`server.prot\` in /app/devserver.config.ts:3', {
      hint: 'did you mean \`server.port\`?', frame: '> 3 |     prot: 3000,',
    });
  }
  if (mode === 'bug') throw new TypeError('graph.get is not a function');
  const exposed = options.cliOverrides.server?.host === true;
  let timer;
  return {
    config: { logger: createLogger(), server: { host: exposed ? '0.0.0.0' : 'localhost', open: false } },
    resolvedUrls: { local: ['http://localhost:5173/'], network: exposed ? ['http://192.168.1.20:5173/'] : [] },
    async listen() {
      if (mode === 'port-in-use') throw new DevServerError('ERR_PORT_IN_USE', 'port 5173 is in use', { hint: 'use --port' });
      timer = setInterval(() => {}, 60_000);
    },
    close() {
      say('CLOSING');
      if (mode === 'hang-close') return new Promise(() => {});
      clearInterval(timer);
      say('CLOSED');
      return Promise.resolve();
    },
  };
}
`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-cli-'));
  const fake = path.join(dir, 'fakeServer.mjs');
  fs.writeFileSync(fake, FAKE_SERVER);
  cliFile = path.join(dir, 'cli.mjs');
  await build({
    entryPoints: [path.resolve(here, '../cli.ts')],
    outfile: cliFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    // picocolors is CommonJS and requires node builtins.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    plugins: [
      {
        name: 'fake-server',
        setup(b) {
          b.onResolve({ filter: /^\.\/server\.js$/ }, () => ({ path: fake }));
        },
      },
    ],
  });
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onStdout` sees the output so far and may signal the process. */
function run(args: string[], fake = 'ok', onStdout?: (out: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, FAKE_SERVER: fake, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const child = spawn(process.execPath, [cliFile, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    onStdout?.(stdout, (s) => child.kill(s));
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function optionsOf(stdout: string): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith('OPTIONS '));
  return line ? JSON.parse(line.slice('OPTIONS '.length)) : undefined;
}

/** Sends `signal` once the banner is out (and again, when `twice`, once close started). */
const signalWhenReady = (signal: NodeJS.Signals, twice = false) => {
  let sent = 0;
  return (out: string, kill: (s: NodeJS.Signals) => void) => {
    if (sent === 0 && out.includes('ready in')) {
      sent = 1;
      kill(signal);
    } else if (twice && sent === 1 && out.includes('CLOSING')) {
      sent = 2;
      kill(signal);
    }
  };
};

describe('devserver CLI', () => {
  it('prints the version and the help', async () => {
    const version = await run(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^devserver\/\d+\.\d+\.\d+/);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--port', '--host', '--strictPort', '--open', '--config', '--force', '--debug', '--mode']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('passes flags as cliOverrides, prints the banner and exits 0 on SIGTERM after closing', async () => {
    const result = await run(
      ['./app', '--port', '3000', '--strictPort', '--mode', 'staging', '--config', 'x.config.ts', '--force', '--open'],
      'ok',
      signalWhenReady('SIGTERM'),
    );
    expect(optionsOf(result.stdout)).toEqual({
      cliOverrides: {
        root: './app',
        mode: 'staging',
        configFile: 'x.config.ts',
        server: { port: 3000, strictPort: true, open: true },
        optimizeDeps: { force: true },
      },
    });
    expect(result.stdout).toMatch(/devserver v\d+\.\d+\.\d+ {2}ready in \d+ ms/);
    expect(result.stdout).toContain('➜ Local: http://localhost:5173/');
    expect(result.stdout).toContain('use --host to expose');
    expect(result.stdout).toContain('CLOSED');
    expect(result.code).toBe(0);
  });

  it('shows Network URLs and warns when exposed with --host; SIGINT exits 0', async () => {
    const result = await run(['--host'], 'ok', signalWhenReady('SIGINT'));
    expect(optionsOf(result.stdout)).toEqual({ cliOverrides: { server: { host: true } } });
    expect(result.stdout).toContain('➜ Network: http://192.168.1.20:5173/');
    expect(result.stderr).toContain('the server is exposed beyond this machine');
    expect(result.code).toBe(0);
  });

  it('exits at once on a second Ctrl-C when closing hangs', async () => {
    const result = await run([], 'hang-close', signalWhenReady('SIGINT', true));
    expect(result.stdout).toContain('CLOSING');
    expect(result.code).toBe(130);
  });

  it('prints a DevServerError as error, hint and frame, exit 1, no stack', async () => {
    const result = await run([], 'config-error');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'error: unknown config key `server.prot` in /app/devserver.config.ts:3',
        'hint: did you mean `server.port`?',
        '> 3 |     prot: 3000,',
        '',
      ].join('\n'),
    );
  });

  it('prints the stack only with --debug', async () => {
    const result = await run(['--debug'], 'config-error');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: unknown config key');
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('closes the server and exits 1 when listen fails', async () => {
    const result = await run([], 'port-in-use');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: port 5173 is in use\nhint: use --port');
    expect(result.stdout).toContain('CLOSED');
  });

  it('calls an unknown error a bug and suggests --debug', async () => {
    const result = await run([], 'bug');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: graph.get is not a function\nhint: this is a bug in devserver, rerun with --debug and report the output\n',
    );
  });

  it('rejects a bad port and an unknown flag with a hint, before starting', async () => {
    const port = await run(['--port', 'abc']);
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('error: --port expects a number from 0 to 65535, got "abc"');
    expect(optionsOf(port.stdout)).toBeUndefined();
    const flag = await run(['--prot', '3000']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('error: unknown option --prot');
    expect(flag.stderr).toContain('hint: did you mean --port?');
  });
});

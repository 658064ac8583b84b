// Starts devserver or Vite on the generated app as a child process group, measures "ready"
// (spawn -> first 2xx answer on `/`), and reads its memory. Both run under the same Node
// with the same flags: `--expose-gc --import memProbe.mjs` (see memProbe.mjs).
//   devserver: packages/devserver/bin/devserver.js <root> --port P --host 127.0.0.1 --strictPort
//   vite:      vite/bin/vite.js <root> --port P --host 127.0.0.1 --strictPort (no config file)
import { existsSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnGroup, treeCpuS, treeRssMb } from './processes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
const require = createRequire(import.meta.url);
const viteDir = path.dirname(require.resolve('vite/package.json'));
const PROBE = pathToFileURL(path.join(here, 'memProbe.mjs')).href;

export const SERVERS = {
  devserver: {
    cli: path.join(REPO, 'packages/devserver/bin/devserver.js'),
    version: () => JSON.parse(readFileSync(path.join(REPO, 'packages/devserver/package.json'), 'utf8')).version,
  },
  vite: {
    cli: path.join(viteDir, 'bin/vite.js'),
    version: () => JSON.parse(readFileSync(path.join(viteDir, 'package.json'), 'utf8')).version,
  },
};

/** A port that was free a moment ago (the servers get --strictPort, so a race fails loudly). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function getStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Deletes what a previous run left on disk (both servers cache under node_modules/). */
export function clearCaches(root) {
  rmSync(path.join(root, 'node_modules'), { recursive: true, force: true });
}

/**
 * Spawns `kind` on `root` and waits for `/` to answer 2xx.
 * @example const s = await startServer('vite', '/tmp/app', { timeoutMs: 60000 }); s.readyMs; await s.stop();
 */
export async function startServer(kind, root, { timeoutMs = 60000 } = {}) {
  const { cli } = SERVERS[kind];
  if (!existsSync(cli)) throw new Error(`${kind} CLI not found at ${cli} (for devserver: run \`pnpm build\` first)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const args = ['--expose-gc', '--import', PROBE, cli, root, '--port', String(port), '--host', '127.0.0.1', '--strictPort'];
  if (kind === 'vite') args.push('--clearScreen', 'false');
  const spawnedAt = Date.now();
  const t0 = performance.now();
  const child = spawnGroup(process.execPath, args, { cwd: root, env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' } });
  const server = { kind, pid: child.pid, url, port, spawnedAt, child, stop: () => child.stop() };
  try {
    for (;;) {
      if (child.exitInfo) throw new Error(`${kind} exited before it was ready (${JSON.stringify(child.exitInfo)}):\n${child.output()}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`${kind} not ready after ${timeoutMs} ms:\n${child.output()}`);
      const status = await getStatus(url);
      if (status >= 200 && status < 300) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } catch (error) {
    await child.stop();
    throw error;
  }
  server.readyMs = performance.now() - t0;
  return server;
}

/** CPU seconds the server's process tree has used since it started. */
export function serverCpu(server) {
  return treeCpuS(server.pid);
}

/** RSS (MiB) of the server's process tree right now. */
export function serverRss(server) {
  return treeRssMb(server.pid);
}

/**
 * Memory of the server's main process after two full GCs (via memProbe): MiB values of
 * process.memoryUsage(), or undefined if the process did not answer within `timeoutMs`.
 */
export function memoryAfterGc(server, timeoutMs = 5000) {
  return new Promise((resolve) => {
    let buffer = '';
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    let done = false;
    let unsubscribe = () => {};
    function finish(value) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    }
    unsubscribe = server.child.onOutput((text) => {
      buffer += text;
      const m = buffer.match(/__BENCH_MEM__ (\{[^\n]*\})/);
      if (!m) return;
      const usage = JSON.parse(m[1]);
      const mb = {};
      for (const [k, v] of Object.entries(usage)) mb[k] = v / 1048576;
      finish(mb);
    });
    try {
      process.kill(server.pid, 'SIGUSR2');
    } catch {
      finish(undefined);
    }
  });
}

import http from 'node:http';
import path from 'node:path';
import { it } from 'vitest';
import { createBackend } from '../createBackend.js';
import { fakeHot, get, recordingLogger, SERVER_TS, tempProject, version } from './fixture.js';
it('dbg', async () => {
  const project = await tempProject({ 'server.ts': SERVER_TS, 'version.ts': version(0) });
  const logger = recordingLogger();
  const hot = fakeHot();
  const t0 = performance.now();
  const backend = await createBackend({ backend: 'server.ts', root: project.root, cacheDir: path.join(project.root, '.cache'), logger, hot, watch: () => undefined });
  await backend.started;
  let done = false; let n = 0; const fails: string[] = []; const pending = new Map<string, number>();
  async function client(agent: http.Agent | false, name: string) {
    while (!done) {
      const id = name + ':' + n++;
      pending.set(id, performance.now());
      const r = await get(backend.url + '/', agent);
      pending.delete(id);
      if (!r.ok) fails.push(r.error);
    }
  }
  const clients = [0,1,2,3].map(i => client(new http.Agent({ keepAlive: true, maxSockets: 1 }), 'ka' + i)).concat([0,1,2,3].map(i => client(false, 'fresh' + i)));
  for (let i = 1; i <= 8; i++) {
    await project.write('version.ts', version(i));
    const r = await Promise.race([backend.rebuild(), new Promise(r => setTimeout(() => r('timeout'), 20000))]);
    const now = performance.now();
    console.log('rebuild', i, r, Math.round(now - t0), 'n', n, 'old pending', [...pending].filter(([, t]) => now - t > 3000).map(([k, t]) => k + '@' + Math.round(now - t)));
  }
  done = true;
  const r = await Promise.race([Promise.all(clients), new Promise(r => setTimeout(() => r('timeout'), 20000))]);
  console.log('clients', r, [...pending], fails);
  const port = new URL(backend.url).port;
  console.log('parent pid', process.pid);
  console.log((await import('node:child_process')).execSync(`ss -tnpa | grep ${port} || true`).toString());
  console.log(logger.lines.filter(l => !l.includes('debug: backend built') && !l.includes('listening on')).join('\n'));
  const c = await Promise.race([backend.close(), new Promise(r => setTimeout(() => r('timeout'), 20000))]);
  console.log('close', c);
}, 300000);

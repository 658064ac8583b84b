import { afterAll, beforeAll, it } from 'vitest';
import { createSecurityFixture, type SecurityFixture } from './fixture.js';
import { rawGet, startServer, leakedTokens, type Running } from './harness.js';

let fx: SecurityFixture; let run: Running;
beforeAll(async () => { fx = createSecurityFixture(); run = await startServer(fx.root); });
afterAll(async () => { await run.server.close(); fx.cleanup(); });
it('probe', async () => {
  const o = fx.outside;
  const targets = (process.env.PROBE ?? '').split(' ').filter(Boolean).map((t) => t.replace('<OUT>', o));
  for (const t of targets) {
    const r = await rawGet(run, t, ['Accept: */*']);
    console.log(t, r.status, r.headers['content-type'], JSON.stringify(r.text.slice(0, 600)), leakedTokens(r.raw, fx.tokens));
  }
}, 30000);

/**
 * The pre-bundler against a fixture project with hand-written packages: export lists,
 * output that really runs (imported in Node), one build per batch, the disk cache, errors,
 * and reload notifications when a new dependency changes files a page already loaded.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDevServerError } from '../../errors.js';
import { createDepOptimizer, type DepOptimizer } from '../depOptimizer.js';
import { createFixture, fileNameOf, recordingLogger, runInNode, type Fixture, type RecordingLogger } from './helpers.js';

let fixture: Fixture;
let logger: RecordingLogger;
const opened: DepOptimizer[] = [];

function open(extra: { force?: boolean; include?: string[]; exclude?: string[] } = {}): DepOptimizer {
  const optimizer = createDepOptimizer({ root: fixture.root, cacheDir: fixture.cacheDir, logger, ...extra });
  opened.push(optimizer);
  return optimizer;
}

beforeEach(async () => {
  fixture = await createFixture();
  logger = recordingLogger();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((optimizer) => optimizer.close()));
  await fs.rm(fixture.base, { recursive: true, force: true });
});

describe('createDepOptimizer', () => {
  it('batches concurrent resolves into one build and reports real export lists', async () => {
    const deps = open();
    const specs = ['esm-pkg', 'cjs-pkg', '@scope/exp', '@scope/exp/sub', 'esm-nodefault'];
    const [esm, cjs, scoped, sub, nodefault] = await Promise.all(specs.map((s) => deps.resolve(s, fixture.importer)));

    expect(logger.builds()).toEqual([
      'info pre-bundling dependencies: @scope/exp, @scope/exp/sub, cjs-pkg, esm-nodefault, esm-pkg',
    ]);
    expect(logger.lines.some((line) => /^info pre-bundled 5 dependencies in \d+ ms$/.test(line))).toBe(true);
    expect(esm?.exports).toEqual(['default', 'hello', 'more']);
    expect(cjs?.exports).toEqual(['bar', 'default', 'delete', 'foo', 'mode']);
    expect(scoped?.exports).toEqual(['target']);
    expect(nodefault?.exports).toEqual(['only']);
    expect(sub?.id).toBe('/@deps/@scope_exp_sub.js');
    expect(esm?.id).toBe('/@deps/esm-pkg.js');
    expect(esm?.url).toMatch(/^\/@deps\/esm-pkg\.js\?v=[0-9a-f]{8}$/);
    expect(new Set([esm, cjs, scoped, sub].map((info) => info?.url.split('?v=')[1])).size).toBe(1);
  });

  it('produces ESM that runs: named + default for CJS, exports conditions, NODE_ENV=development', async () => {
    const deps = open();
    const infos = await Promise.all(
      ['esm-pkg', 'cjs-pkg', '@scope/exp', '@scope/exp/sub', 'esm-nodefault', 'cjs-esmodule'].map((s) =>
        deps.resolve(s, fixture.importer),
      ),
    );
    expect(infos[5]?.exports).toEqual(['default', 'named']);
    const [esm, cjs, scoped, sub, nodefault, compiled] = await runInNode(deps, infos.map((info) => info.url), fixture.base);

    expect((esm?.hello as (n: string) => string)('x')).toBe('hello x');
    expect((esm?.default as () => string)()).toBe('greet');
    expect(esm?.more).toBe(1);
    expect((cjs?.foo as () => string)()).toBe('foo');
    expect(cjs?.bar).toBe(42);
    expect(cjs?.delete).toBe('reserved word');
    expect(cjs?.mode).toBe('development');
    const cjsDefault = cjs?.default as Record<string, unknown>;
    expect(cjsDefault.bar).toBe(42);
    expect(cjsDefault['not-an-identifier']).toBe(1);
    expect(scoped?.target).toBe('browser');
    expect(sub?.sub).toBe('development');
    expect(nodefault?.only).toBe(true);
    // Babel/TypeScript CommonJS output: default is exports.default, not module.exports.
    expect((compiled?.default as () => string)()).toBe('default export');
    expect(compiled?.named).toBe('named');
  });

  it('bundles a package shared by two pnpm-linked deps (store outside the root) once', async () => {
    const deps = open();
    const infos = await Promise.all(['dep-a', 'dep-b'].map((s) => deps.resolve(s, fixture.importer)));
    const [a, b] = await runInNode(deps, infos.map((info) => info.url), fixture.base);

    expect(a?.sharedIdentity).toBe(b?.sharedIdentity);
    expect((a?.bump as () => number)()).toBe(1);
    expect((b?.bump as () => number)()).toBe(2);
    expect((a?.default as { name: string }).name).toBe('dep-a');
  });

  it('reuses the disk cache on restart without building, and rebuilds with force', async () => {
    const first = open();
    const before = await Promise.all(['esm-pkg', 'cjs-pkg'].map((s) => first.resolve(s, fixture.importer)));
    await first.close();
    expect(logger.builds()).toHaveLength(1);
    const leftovers = (await fs.readdir(fixture.cacheDir)).filter((name) => name !== 'deps');
    expect(leftovers).toEqual([]);

    logger = recordingLogger();
    const second = open();
    const after = await Promise.all(['esm-pkg', 'cjs-pkg'].map((s) => second.resolve(s, fixture.importer)));
    expect(after).toEqual(before);
    expect(logger.builds()).toEqual([]);
    expect(logger.lines).toContain(`debug deps: reusing 2 pre-bundled dependencies from cache (${fileHash(before[0]?.url)})`);
    const served = await second.load(`${after[1]?.id}?v=whatever`);
    expect(served?.code).toContain('bar');
    await second.close();

    logger = recordingLogger();
    const forced = open({ force: true });
    await forced.resolve('esm-pkg', fixture.importer);
    expect(logger.builds()).toEqual(['info pre-bundling dependencies: esm-pkg']);
  });

  it('rebuilds over a half-written cache and removes a crashed run\'s temp folder', async () => {
    const first = open();
    const info = await first.resolve('cjs-pkg', fixture.importer);
    await first.close();
    await fs.rm(path.join(fixture.cacheDir, 'deps', fileNameOf(info.url)));
    const stale = path.join(fixture.cacheDir, 'deps_temp_1_dead');
    await fs.mkdir(stale);
    const old = new Date(Date.now() - 3600_000);
    await fs.utimes(stale, old, old);

    logger = recordingLogger();
    const second = open();
    const again = await second.resolve('cjs-pkg', fixture.importer);
    expect(logger.builds()).toEqual(['info pre-bundling dependencies: cjs-pkg']);
    expect((await second.load(again.url))?.code).toContain('__dep');
    expect(await fs.readdir(fixture.cacheDir)).toEqual(['deps']);
  });

  it('ignores the cache when the lockfile changes', async () => {
    const first = open();
    await first.resolve('esm-pkg', fixture.importer);
    await first.close();
    await fs.appendFile(path.join(fixture.root, 'pnpm-lock.yaml'), 'importers: {}\n');

    logger = recordingLogger();
    const second = open();
    await second.resolve('esm-pkg', fixture.importer);
    expect(logger.builds()).toEqual(['info pre-bundling dependencies: esm-pkg']);
  });

  it('throws ERR_DEP_NOT_INSTALLED naming the specifier, the importer and the install command', async () => {
    const deps = open();
    const error: unknown = await deps.resolve('not-there/sub', fixture.importer).catch((e: unknown) => e);
    expect(isDevServerError(error) && error.code).toBe('ERR_DEP_NOT_INSTALLED');
    if (!isDevServerError(error)) return;
    expect(error.message).toBe('Dependency "not-there/sub" is not installed (imported by src/main.js).');
    expect(error.details.hint).toBe('Install it: pnpm add not-there (or npm install not-there).');
    expect(error.details.file).toBe(fixture.importer);
    expect(logger.builds()).toEqual([]);
  });

  it('refuses a subpath the exports map does not list', async () => {
    const deps = open();
    const error: unknown = await deps.resolve('@scope/exp/hidden', fixture.importer).catch((e: unknown) => e);
    expect(isDevServerError(error) && error.code).toBe('ERR_UNRESOLVED_IMPORT');
    expect(String(error)).toContain('does not export "./hidden"');
  });

  it('fails only the broken package with ERR_DEP_OPTIMIZE and still builds the others', async () => {
    const deps = open();
    const [broken, good] = await Promise.allSettled([
      deps.resolve('broken-pkg', fixture.importer),
      deps.resolve('esm-pkg', fixture.importer),
    ]);
    expect(good.status).toBe('fulfilled');
    expect(broken.status).toBe('rejected');
    const error: unknown = broken.status === 'rejected' ? broken.reason : null;
    expect(isDevServerError(error) && error.code).toBe('ERR_DEP_OPTIMIZE');
    if (!isDevServerError(error)) return;
    expect(error.message).toMatch(
      /^Pre-bundling "broken-pkg" \(imported by src\/main\.js\) failed: Unexpected ";" at node_modules\/broken-pkg\/index\.js:1:\d+$/,
    );
    expect(error.details.loc?.line).toBe(1);
    expect(await deps.load('/@deps/esm-pkg.js')).not.toBeNull();
  });

  it('calls onInvalidated when a new dependency changes a served file', async () => {
    const deps = open();
    const reasons: string[] = [];
    deps.onInvalidated((reason) => reasons.push(reason));
    const a = await deps.resolve('dep-a', fixture.importer);
    const before = await deps.load(a.url);

    const b = await deps.resolve('dep-b', fixture.importer);
    expect(reasons).toEqual(['new dependency dep-b changed pre-bundled files the page already loaded']);
    const after = await deps.load(a.url);
    expect(after?.etag).not.toBe(before?.etag);
    expect(fileHash(b.url)).not.toBe(fileHash(a.url));
    expect((await deps.resolve('dep-a', fixture.importer)).url).toBe(b.url.replace('dep-b', 'dep-a'));
  });

  it('does not invalidate (and keeps the version) when served files did not change', async () => {
    const deps = open();
    const reasons: string[] = [];
    deps.onInvalidated((reason) => reasons.push(reason));
    const esm = await deps.resolve('esm-pkg', fixture.importer);
    const before = await deps.load(esm.url);

    const cjs = await deps.resolve('cjs-pkg', fixture.importer);
    expect(logger.builds()).toHaveLength(2);
    expect(reasons).toEqual([]);
    expect((await deps.load(esm.url))?.etag).toBe(before?.etag);
    expect(fileHash(cjs.url)).toBe(fileHash(esm.url));
  });

  it('does not invalidate when the changed file was never served', async () => {
    const deps = open();
    const reasons: string[] = [];
    deps.onInvalidated((reason) => reasons.push(reason));
    const a = await deps.resolve('dep-a', fixture.importer);
    const b = await deps.resolve('dep-b', fixture.importer);
    expect(logger.builds()).toHaveLength(2);
    expect(reasons).toEqual([]);
    // Same version: modules transformed before and after must import one URL per dep.
    expect(fileHash(b.url)).toBe(fileHash(a.url));
    expect((await deps.resolve('dep-a', fixture.importer)).url).toBe(a.url);
  });

  it('serves only known files and pre-bundles include at start', async () => {
    const deps = open({ include: ['cjs-pkg'], exclude: ['esm-pkg'] });
    expect(await deps.load('/@deps/../package.json')).toBeNull();
    expect(await deps.load('/src/main.js')).toBeNull();
    const error: unknown = await deps.resolve('esm-pkg', fixture.importer).catch((e: unknown) => e);
    expect(isDevServerError(error) && error.code).toBe('ERR_DEP_OPTIMIZE');
    const cjs = await deps.resolve('cjs-pkg', fixture.importer);
    expect(fileNameOf(cjs.url)).toBe('cjs-pkg.js');
    expect(logger.builds()).toEqual(['info pre-bundling dependencies: cjs-pkg']);
  });
});

function fileHash(url: string | undefined): string {
  return url?.split('?v=')[1] ?? '';
}

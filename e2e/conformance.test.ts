/**
 * Module-semantics conformance: devserver's registry (transformed factories linked and run
 * by the client runtime) must behave like Chromium's native ESM (architecture.md, "Rules of
 * the house"). Each case under e2e/fixtures/conformance/<case>/ is a small module graph
 * whose entry writes what it observed (values, typeof, error names, evaluation order,
 * namespace shape) into `window.__results`; the page also records every `error` /
 * `unhandledrejection` event and a `__log` of module side effects.
 *
 * Every case runs twice in headless Chromium, from one temp copy of the fixtures: natively
 * (a tiny static server, plain `<script type="module">`) and through devserver, and the two
 * observations must be deep-equal. A native baseline test per case first checks that
 * Chromium shows the point the case is about, so two equally wrong runs cannot pass.
 * Cases devserver does not meet yet are `it.fails` with the gap named (they flip to a
 * failure, on purpose, once the gap is fixed). CommonJS and TypeScript cases run through
 * devserver only (a browser runs neither) and assert the documented values.
 */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type DevServer } from 'devserver';
import { useBrowser } from './harness/browser.js';
import { openPage } from './harness/page.js';
import { REPO_ROOT } from './harness/playground.js';
import { CASES, DEV_ONLY, type ErrorSeen, type Observation } from './conformance/cases.js';
import { startNativeServer, type NativeServer } from './conformance/nativeServer.js';

const FIXTURES = path.join(REPO_ROOT, 'e2e/fixtures/conformance');
/** A case that neither finishes nor fails within this is reported as hanging. */
const RESULT_TIMEOUT_MS = 8_000;

// A classic script runs before any module script: it sets up the log and catches errors
// (a link error of a native module graph is reported to `window.onerror`).
const pageHtml = (entry: string): string => `<!doctype html>
<meta charset="utf-8">
<script>
  window.__log = [];
  window.__errors = [];
  const seen = (e, fallback) =>
    e && typeof e === 'object' ? { name: String(e.name), message: String(e.message) } : { name: null, message: String(fallback) };
  addEventListener('error', (event) => __errors.push(seen(event.error, event.message)));
  addEventListener('unhandledrejection', (event) => __errors.push(seen(event.reason, event.reason)));
</script>
<script type="module" src="./${entry}"></script>
`;

// A real CommonJS package: assigned object, then a property added after the assignment.
const FAKE_CJS = {
  'package.json': JSON.stringify({ name: 'fake-cjs', version: '1.0.0', main: 'index.js' }),
  'index.js': 'module.exports = { a: 1 };\nmodule.exports.b = 2;\n',
};

const browser = useBrowser();
let tmp: string;
let nativeServer: NativeServer;
let devServer: DevServer;
let devUrl: string;
const devLogs: string[] = [];

beforeAll(async () => {
  tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'devserver-e2e-conformance-')));
  const root = path.join(tmp, 'app');
  cpSync(FIXTURES, root, { recursive: true });
  for (const c of [...CASES, ...DEV_ONLY]) writeFileSync(path.join(root, c.name, 'index.html'), pageHtml(c.entry ?? 'entry.js'));
  const pkg = path.join(root, 'node_modules/fake-cjs');
  mkdirSync(pkg, { recursive: true });
  for (const [file, text] of Object.entries(FAKE_CJS)) writeFileSync(path.join(pkg, file), text);

  nativeServer = await startNativeServer(root);
  const log = (line: string) => devLogs.push(line);
  devServer = await createServer({
    root,
    configFile: false,
    cacheDir: path.join(tmp, 'cache'),
    customLogger: { info: log, warn: log, error: log, debug: () => {} },
    server: { port: 0, host: '127.0.0.1', strictPort: true, fs: { allow: [root] } },
  });
  await devServer.listen();
  const url = devServer.resolvedUrls?.local[0];
  if (!url) throw new Error('devserver is listening but has no resolvedUrls.local[0]');
  devUrl = url;
});

afterAll(async () => {
  await devServer?.close();
  await nativeServer?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Loads `<base><case>/` in a fresh tab and waits for the entry's results or an error. */
async function observe(base: string, name: string): Promise<Observation> {
  const tab = await openPage(browser());
  const pageErrors: string[] = [];
  tab.page.on('pageerror', (error) => pageErrors.push(error.name));
  try {
    await tab.page.goto(new URL(`${name}/`, base).href, { waitUntil: 'load' });
    try {
      await tab.page.waitForFunction(
        () => {
          const w = window as unknown as { __results?: unknown; __errors: unknown[] };
          return w.__results !== undefined || w.__errors.length > 0;
        },
        undefined,
        { timeout: RESULT_TIMEOUT_MS },
      );
    } catch {
      const logs = base === devUrl ? `\ndevserver log:\n  ${devLogs.join('\n  ')}` : '';
      throw new Error(`${name} at ${base}: no results and no error within ${RESULT_TIMEOUT_MS} ms${logs}`);
    }
    const seen = await tab.page.evaluate(() => {
      const w = window as unknown as { __results?: unknown; __log: string[]; __errors: ErrorSeen[] };
      return { results: w.__results ?? null, log: [...w.__log], errors: [...w.__errors] };
    });
    // Playwright delivers `pageerror` on its own channel; every error event has one.
    await expect.poll(() => pageErrors.length >= seen.errors.length).toBe(true);
    return { ...seen, pageErrors };
  } finally {
    await tab.close();
  }
}

const nativeRuns = new Map<string, Promise<Observation>>();
/** The native observation of a case, made once (the baseline and the comparison share it). */
function nativeOf(name: string): Promise<Observation> {
  let run = nativeRuns.get(name);
  if (!run) nativeRuns.set(name, (run = observe(nativeServer.url, name)));
  return run;
}

describe('module semantics: devserver vs native Chromium ESM', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      it('native baseline shows the point of the case', async () => {
        expect(await nativeOf(c.name)).toMatchObject(c.native);
      });
      // it.fails: see the case's `gap`; remove it once devserver conforms.
      (c.gap ? it.fails : it)(c.gap ? `devserver matches native (known gap: ${c.gap})` : 'devserver matches native', async () => {
        const native = await nativeOf(c.name);
        expect(await observe(devUrl, c.name)).toEqual(native);
      });
    });
  }
});

describe('devserver only (no native baseline)', () => {
  for (const c of DEV_ONLY) {
    (c.gap ? it.fails : it)(c.gap ? `${c.name} (known gap: ${c.gap})` : c.name, async () => {
      expect(await observe(devUrl, c.name)).toEqual(c.expected);
    });
  }
});

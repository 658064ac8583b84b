/**
 * Test helper: runs the same sources as native ES modules in a child Node process (V8's
 * module semantics, the same engine as Chromium; vitest's own module runner would get in
 * the way in-process) so conformance tests compare the runtime with the engine. Files go
 * to a fresh temp dir that is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Files } from './fakeServer.js';

/** What tests compare about a namespace object. */
export interface NamespaceShape {
  keys: string[];
  ownKeys: string[];
  tag: string;
  nullProto: boolean;
  extensible: boolean;
  sealed: boolean;
  values: Record<string, unknown>;
}

export interface NativeResult {
  logs: unknown[];
  error?: { name: string; message: string };
  ns?: NamespaceShape;
}

/** Source of `describeNamespace`, shared by the child process and the tests. */
const DESCRIBE = `function describeNamespace(ns) {
  const values = {};
  for (const k of Object.keys(ns)) { const v = ns[k]; values[k] = typeof v === 'function' ? 'fn:' + v.name : v; }
  return {
    keys: Object.keys(ns),
    ownKeys: Reflect.ownKeys(ns).map(String),
    tag: Object.prototype.toString.call(ns),
    nullProto: Object.getPrototypeOf(ns) === null,
    extensible: Object.isExtensible(ns),
    sealed: Object.isSealed(ns),
    values,
  };
}`;

export const describeNamespace = new Function(`${DESCRIBE}; return describeNamespace;`)() as (
  ns: object,
) => NamespaceShape;

/** Imports `entry` natively; the global `log()` collects values as in the runtime tests. */
export function runNative(files: Files, entry: string): NativeResult {
  const dir = mkdtempSync(join(tmpdir(), 'devserver-native-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    for (const [id, source] of Object.entries(files)) {
      const file = join(dir, id);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, source);
    }
    writeFileSync(
      join(dir, '__runner.mjs'),
      `${DESCRIBE}
const logs = [];
globalThis.log = (...v) => logs.push(v.length === 1 ? v[0] : v);
let out;
try { out = { logs, ns: describeNamespace(await import(${JSON.stringify('.' + entry)})) }; }
catch (e) { out = { logs, error: { name: e.name, message: e.message } }; }
process.stdout.write(JSON.stringify(out));`,
    );
    const child = spawnSync(process.execPath, ['__runner.mjs'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    if (child.status !== 0) throw new Error(`native run failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as NativeResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

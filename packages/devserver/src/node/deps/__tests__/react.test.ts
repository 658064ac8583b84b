/**
 * The pre-bundler on the real React 19 packages (devDependencies of this package, pnpm
 * layout): named exports of the CommonJS entries, one React copy shared by react,
 * react-dom/client and react/jsx-dev-runtime, and the output running as ESM.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDepOptimizer, type DepInfo, type DepOptimizer } from '../depOptimizer.js';
import { fileNameOf, makeTempDir, recordingLogger, relativeImports, runInNode } from './helpers.js';

const packageRoot = path.resolve(fileURLToPath(import.meta.url), '../../../../..');
const importer = path.join(packageRoot, 'src/app/main.tsx');
let temp: string;
let deps: DepOptimizer;
let react: DepInfo;
let client: DepInfo;
let jsx: DepInfo;

beforeAll(async () => {
  temp = await makeTempDir('react');
  deps = createDepOptimizer({ root: packageRoot, cacheDir: path.join(temp, 'cache'), logger: recordingLogger() });
  [react, client, jsx] = await Promise.all(
    ['react', 'react-dom/client', 'react/jsx-dev-runtime'].map((s) => deps.resolve(s, importer)),
  );
});

afterAll(async () => {
  await deps.close();
  await fs.rm(temp, { recursive: true, force: true });
});

it('exposes the named exports of the CommonJS entries', () => {
  expect(react.id).toBe('/@deps/react.js');
  expect(client.id).toBe('/@deps/react-dom_client.js');
  expect(jsx.id).toBe('/@deps/react_jsx-dev-runtime.js');
  expect(react.exports).toEqual(expect.arrayContaining(['default', 'useState', 'useEffect', 'createElement', 'Fragment']));
  expect(client.exports).toEqual(expect.arrayContaining(['default', 'createRoot', 'hydrateRoot']));
  expect(jsx.exports).toEqual(expect.arrayContaining(['default', 'jsxDEV', 'Fragment']));
});

it('puts React in one chunk that both react and react-dom/client import', async () => {
  const files = new Map<string, string>();
  const collect = async (name: string): Promise<void> => {
    if (files.has(name)) return;
    const file = await deps.load(`/@deps/${name}`);
    if (!file) throw new Error(`missing ${name}`);
    files.set(name, file.code);
    for (const child of relativeImports(file.code)) await collect(child);
  };
  for (const info of [react, client, jsx]) await collect(fileNameOf(info.url));
  const holders = [...files].filter(([, code]) => code.includes('react/cjs/react.development.js')).map(([n]) => n);
  expect(holders).toHaveLength(1);
  const reactChunk = holders[0] as string;
  expect(reactChunk).toMatch(/^chunk-/);
  expect(relativeImports(files.get('react.js') ?? '')).toContain(reactChunk);
  const clientImports = relativeImports(files.get('react-dom_client.js') ?? '');
  const reachesReact = clientImports.some(
    (name) => name === reactChunk || relativeImports(files.get(name) ?? '').includes(reactChunk),
  );
  expect(reachesReact).toBe(true);
  expect(files.get('react.js')).not.toContain('process.env.NODE_ENV');
});

it('runs as plain ESM: hooks, default export and jsxDEV work', async () => {
  const [reactNs, jsxNs] = await runInNode(deps, [react.url, jsx.url], temp);
  const React = reactNs?.default as { useState: unknown; version: string; isValidElement(v: unknown): boolean };
  expect(reactNs?.useState).toBe(React.useState);
  expect(React.version).toBe('19.3.1');
  const element = (jsxNs?.jsxDEV as (t: string, p: object) => unknown)('div', { children: 'x' });
  expect(React.isValidElement(element)).toBe(true);
});

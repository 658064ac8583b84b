/**
 * Source maps as devtools use them: the served factory names its map by URL; tracing a
 * generated position through that map lands on the same token in the original TS/TSX file,
 * whose text the map carries.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { createServer, type DevServer } from '../server.js';
import type { GraphPayload } from '../../shared/protocol.js';

let root: string;
let server: DevServer;
let base: string;

const TS_SOURCE = [
  "import { helper } from './helper';",
  'interface Shape { size: number }',
  'const shapes: Shape[] = [{ size: 1 }];',
  'export function total(extra: number): number {',
  '  return shapes.reduce((sum, s) => sum + s.size, 0) + helper(extra);',
  '}',
  'export const marker = "findme";',
].join('\n');

const TSX_SOURCE = ['export function Card(props: { title: string }) {', '  return <section className="card">{props.title}</section>;', '}'].join('\n');

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-maps-'));
  await fs.mkdir(path.join(root, 'src'));
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await fs.writeFile(path.join(root, 'src/main.ts'), TS_SOURCE);
  await fs.writeFile(path.join(root, 'src/helper.ts'), 'export const helper = (n: number): number => n * 2;\n');
  await fs.writeFile(path.join(root, 'src/card.tsx'), TSX_SOURCE);
  // A stand-in for React's dev JSX runtime, enough for the pre-bundler.
  await fs.mkdir(path.join(root, 'node_modules/react'), { recursive: true });
  await fs.writeFile(path.join(root, 'node_modules/react/package.json'), JSON.stringify({ name: 'react', version: '0.0.0', type: 'module', exports: { './jsx-dev-runtime': './jsx-dev-runtime.js' } }));
  await fs.writeFile(path.join(root, 'node_modules/react/jsx-dev-runtime.js'), 'export const jsxDEV = (type, props) => ({ type, props });\nexport const Fragment = "fragment";\n');
  server = await createServer({ root, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});
afterAll(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function served(id: string): Promise<{ code: string; map: TraceMap; raw: { sources: string[]; sourcesContent: string[] } }> {
  const payload = (await (await fetch(`${base}@devserver/modules?ids=${encodeURIComponent(id)}`)).json()) as GraphPayload;
  const code = payload.modules[0].code;
  const mapUrl = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)![1];
  const raw = await (await fetch(new URL(mapUrl, base))).json();
  return { code, map: new TraceMap(raw), raw };
}

/** Line (1-based) and column (0-based) of the first occurrence of `needle`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  expect(index).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') - 1 };
}

describe('source maps', () => {
  it('map the served factory back to the original TypeScript, tokens and all', async () => {
    const { code, map, raw } = await served('/src/main.ts');
    expect(raw.sources).toEqual(['/src/main.ts']);
    expect(raw.sourcesContent).toEqual([TS_SOURCE]);
    for (const token of ['"findme"', 'reduce', 'helper(extra)']) {
      const generated = positionOf(code, token.replace('helper(extra)', '.helper)(extra)').replace(/^\./, ''));
      const original = originalPositionFor(map, generated);
      const expected = positionOf(TS_SOURCE, token.replace('helper(extra)', 'helper(extra)'));
      expect({ token, line: original.line }).toEqual({ token, line: expected.line });
    }
    const marker = originalPositionFor(map, positionOf(code, '"findme"'));
    expect(marker).toMatchObject({ source: '/src/main.ts', line: 7, column: positionOf(TS_SOURCE, '"findme"').column });
  });

  it('map compiled JSX back to the TSX line', async () => {
    const { code, map } = await served('/src/card.tsx');
    const original = originalPositionFor(map, positionOf(code, '"card"'));
    expect(original).toMatchObject({ source: '/src/card.tsx', line: 2 });
  });
});

/**
 * Source maps that plugin transforms return are chained: a compiler plugin that moves code
 * around (here: two lines put in front, a file type compiled to JS) still gets the served
 * factory traced back to the original file's line. A transform without a map is taken to
 * keep lines where they were (what an appending plugin like @devserver/react's footer does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import MagicString from 'magic-string';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { createServer, type DevServer } from '../../server.js';
import type { GraphPayload } from '../../../shared/protocol.js';
import { createTempProject, type TempProject } from '../../__tests__/tempProject.js';
import { createPluginContainer } from '../pluginContainer.js';
import { createLogger } from '../../logger.js';
import type { Plugin } from '../types.js';

const SOURCE = ['first line', 'export const marker = "findme";', 'last line'].join('\n');

/** Compiles `.story` files: drops the prose lines and puts two lines in front, with a map. */
const storyCompiler: Plugin = {
  name: 'story',
  transform(code, id) {
    if (!id.endsWith('.story')) return null;
    const s = new MagicString(code);
    s.remove(0, code.indexOf('\n') + 1);
    s.remove(code.lastIndexOf('\n'), code.length);
    s.prepend('const one = 1;\nconst two = 2;\n');
    s.append('\nexport { one, two };\n');
    return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }).toString() };
  },
};

/** Appends a line, without a map. */
const footer: Plugin = {
  name: 'footer',
  transform: (code, id) => (id.endsWith('.story') ? `${code}\nexport const footer = true;\n` : null),
};

let project: TempProject;
let server: DevServer;
let base: string;

beforeAll(async () => {
  project = await createTempProject('maps', {
    'index.html': '<!doctype html>',
    'src/main.ts': "import { marker } from './a.story';\nexport { marker };\n",
    'src/a.story': SOURCE,
  });
  server = await createServer({ root: project.root, configFile: false, logLevel: 'silent', plugins: [storyCompiler, footer], server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  base = server.resolvedUrls!.local[0];
});

afterAll(async () => {
  await server.close();
  await project.remove();
});

function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  expect(index).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') - 1 };
}

describe('plugin transform maps', () => {
  it('are handed on last transform first, only for transforms that changed the code', async () => {
    const container = createPluginContainer([storyCompiler, footer, { name: 'noop', transform: () => null }], createLogger({ level: 'silent' }));
    const result = await container.transform(SOURCE, '/x/a.story');
    expect(result.maps).toHaveLength(1);
    expect(result.code).toContain('export const footer = true;');
    const unchanged = await container.transform('plain', '/x/a.ts');
    expect(unchanged.maps).toEqual([]);
  });

  it('are chained into the served map, which traces back to the original file', async () => {
    const payload = (await (await fetch(`${base}@devserver/modules?ids=${encodeURIComponent('/src/a.story')}`)).json()) as GraphPayload;
    const code = payload.modules[0].code;
    const mapUrl = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)![1];
    const raw = (await (await fetch(new URL(mapUrl, base))).json()) as { sources: string[]; sourcesContent: string[] };
    expect(raw.sources).toEqual(['/src/a.story']);
    expect(raw.sourcesContent).toEqual([SOURCE]);
    const original = originalPositionFor(new TraceMap(raw as never), positionOf(code, '"findme"'));
    expect(original).toMatchObject({ source: '/src/a.story', line: 2, column: positionOf(SOURCE, '"findme"').column });
  });
});

import { it, expect } from 'vitest';
import { TraceMap, originalPositionFor } from '/work/main/node_modules/.pnpm/@jridgewell+trace-mapping@0.3.31/node_modules/@jridgewell/trace-mapping/dist/trace-mapping.mjs';
import { transformScript, composeMap } from '../scriptTransform.js';
it('map', async () => {
  const src = `import { a } from './a.js';\nconst marker1 = 1;\nexport default class extends Base { static y = 2 }\nconst marker2 = a + 1;\nexport function f() { return marker2; }\n`;
  const r = await transformScript(src, { id: '/a.js', filename: '/root/a.js', lang: 'js' });
  const map = composeMap(r.maps, '/a.js', src);
  const tm = new TraceMap(map as never);
  const lines = r.body.split('\n');
  for (const tok of ['marker1', 'marker2 = ', 'static y', 'return marker2']) {
    const line = lines.findIndex((l) => l.includes(tok));
    const col = lines[line].indexOf(tok);
    const pos = originalPositionFor(tm, { line: line + 1, column: col });
    const origLine = src.split('\n').findIndex((l) => l.includes(tok.trim())) + 1;
    console.log(tok, pos, 'expected line', origLine);
    expect(pos.line).toBe(origLine);
  }
});

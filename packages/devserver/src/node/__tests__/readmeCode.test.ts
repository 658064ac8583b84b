/**
 * The README's "Embedding in Express" and "Writing a plugin" code is what the tests run:
 * every code block in those sections must appear verbatim in the file the section names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');

function section(title: string): string {
  const start = readme.indexOf(`## ${title}`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

function codeBlocks(text: string): string[] {
  return [...text.matchAll(/```(?:js|ts)\n([\s\S]*?)```/g)].map((m) => m[1].trimEnd());
}

describe('README code', () => {
  it.each([
    ['Embedding in Express', 'playground/express/server.mjs'],
    ['Writing a plugin', 'packages/devserver/src/node/plugins/__tests__/plugins.test.ts'],
  ])('"%s" shows code from %s', (title, file) => {
    const source = fs.readFileSync(path.join(repo, file), 'utf8');
    const blocks = codeBlocks(section(title));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(source).toContain(block);
  });
});

/**
 * The coalescer is driven with fake watcher events on real temp files: it must deliver the
 * final state of each burst once, hold back an empty intermediate file, and notice a change
 * whose watcher event never came (chokidar throttles changes within 50 ms).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChangeCoalescer, fileSignature, type FileChange } from '../changeCoalescer.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-coalesce-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

function collector() {
  const sets: FileChange[][] = [];
  return { sets, onChangeSet: async (changes: FileChange[]) => void sets.push(changes) };
}

describe('changeCoalescer', () => {
  it('delivers a burst of events for one file as one change', async () => {
    const file = path.join(dir, 'a.ts');
    await fs.writeFile(file, 'x');
    const c = collector();
    const coalescer = createChangeCoalescer({ onChangeSet: c.onChangeSet, isKnown: () => true });
    for (let i = 0; i < 10; i++) coalescer.push(file, 'change');
    await coalescer.idle();
    expect(c.sets).toEqual([[{ file, kind: 'change', firstEventAt: expect.any(Number), signature: expect.any(String) }]]);
    // The signature is what the file looked like when it was judged ready: the HMR engine
    // compares it after reading, to drop a build of a file that was written meanwhile.
    expect(c.sets[0][0].signature).toBe(await fileSignature(file));
    coalescer.dispose();
  });

  it('turns unlink + add of an atomic save into a change, and add + unlink into nothing', async () => {
    const saved = path.join(dir, 'saved.ts');
    const temp = path.join(dir, 'temp.ts');
    await fs.writeFile(saved, 'x');
    const c = collector();
    const known = new Set([saved]);
    const coalescer = createChangeCoalescer({ onChangeSet: c.onChangeSet, isKnown: (f) => known.has(f) });
    coalescer.push(saved, 'unlink');
    coalescer.push(saved, 'add');
    coalescer.push(temp, 'add');
    coalescer.push(temp, 'unlink');
    await coalescer.idle();
    expect(c.sets.flat().map((x) => [path.basename(x.file), x.kind])).toEqual([['saved.ts', 'change']]);
    coalescer.dispose();
  });

  it('holds an empty file back while the rest of a truncate-then-write arrives', async () => {
    const file = path.join(dir, 'a.ts');
    await fs.writeFile(file, '');
    const c = collector();
    const coalescer = createChangeCoalescer({ onChangeSet: c.onChangeSet, isKnown: () => true, emptyHoldMs: 200 });
    coalescer.push(file, 'change');
    await fs.writeFile(file, 'export const a = 1;');
    coalescer.push(file, 'change');
    await coalescer.idle();
    expect(c.sets).toHaveLength(1);
    coalescer.dispose();
  });

  it('delivers a file that stays empty once the hold is over', async () => {
    const file = path.join(dir, 'a.ts');
    await fs.writeFile(file, '');
    const c = collector();
    const coalescer = createChangeCoalescer({ onChangeSet: c.onChangeSet, isKnown: () => true, emptyHoldMs: 30 });
    coalescer.push(file, 'change');
    await coalescer.idle();
    expect(c.sets.flat().map((x) => x.kind)).toEqual(['change']);
    coalescer.dispose();
  });

  it('re-delivers a file that changed after it was read even if no event came', async () => {
    const file = path.join(dir, 'a.ts');
    await fs.writeFile(file, 'one');
    const c = { sets: [] as FileChange[][] };
    let wrote = false;
    const coalescer = createChangeCoalescer({
      isKnown: () => true,
      verifyMs: 20,
      onChangeSet: async (changes) => {
        c.sets.push(changes);
        if (!wrote) {
          wrote = true;
          await fs.writeFile(file, 'two, longer'); // the watcher's event for this is "throttled away"
        }
      },
    });
    coalescer.push(file, 'change');
    await coalescer.idle();
    expect(c.sets).toHaveLength(2);
    coalescer.dispose();
  });
});

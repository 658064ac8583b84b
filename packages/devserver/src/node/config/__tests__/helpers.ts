/** Temp project folders for the config tests, removed after each test. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Creates a temp folder with `files` (path -> content) and returns its real path. */
export function tempProject(files: Record<string, string> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'devserver-config-')));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/** Absolute path of defineConfig.ts, importable from a fixture config file. */
export const DEFINE_CONFIG_PATH = JSON.stringify(path.resolve(import.meta.dirname, '../defineConfig.ts'));

/** Runs `fn` and returns what it threw (fails the test when it does not throw). */
export async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, nothing was thrown');
}

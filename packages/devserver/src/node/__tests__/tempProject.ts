/** A throwaway project folder for server tests: files written relative to its root. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempProject {
  root: string;
  /** Writes a file (creating folders) relative to the root. */
  write(relPath: string, content: string): Promise<void>;
  remove(): Promise<void>;
}

export async function createTempProject(prefix: string, files: Record<string, string> = {}): Promise<TempProject> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `devserver-${prefix}-`));
  const write = async (relPath: string, content: string) => {
    await fs.mkdir(path.dirname(path.join(root, relPath)), { recursive: true });
    await fs.writeFile(path.join(root, relPath), content);
  };
  for (const [relPath, content] of Object.entries(files)) await write(relPath, content);
  return { root, write, remove: () => fs.rm(root, { recursive: true, force: true }) };
}

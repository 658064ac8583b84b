/** Short content hashes: module versions, source no-op checks, asset versions. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('base64url').slice(0, 12);
}

/** A short hash of a file's bytes, streamed (assets can be large). */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('base64url').slice(0, 12);
}

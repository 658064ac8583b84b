/**
 * What changed between two pre-bundle builds, and version hashes. Pure functions so the
 * reload decision ("did a file the page already loaded change?") is easy to follow and to
 * test apart from esbuild.
 */
import crypto from 'node:crypto';

export interface OutputFile {
  code: string;
  /** Strong ETag of `code`, quoted as HTTP wants it. */
  etag: string;
}

/**
 * Output files keyed by name, with their ETags.
 *
 * @example toOutputFiles(new Map([['react.js', 'export {}']])).get('react.js')?.etag // '"…"'
 */
export function toOutputFiles(files: Map<string, string>): Map<string, OutputFile> {
  return new Map([...files].map(([name, code]) => [name, { code, etag: etagOf(code) }]));
}

/**
 * Files of `previous` whose content differs in `next` (or that are gone), and those of
 * them that were served.
 *
 * @example compareBuilds(old, next, new Set(['react.js'])) // { changed: ['react.js'], changedServed: ['react.js'] }
 */
export function compareBuilds(
  previous: Map<string, OutputFile>,
  next: Map<string, OutputFile>,
  served: ReadonlySet<string>,
): { changed: string[]; changedServed: string[] } {
  const changed = [...previous.keys()].filter((name) => next.get(name)?.etag !== previous.get(name)?.etag).sort();
  return { changed, changedServed: changed.filter((name) => served.has(name)) };
}

/**
 * The `?v=` value for a build: config, dependency list and every output's content.
 *
 * @example versionHash('abc', ['react'], files) // '1a2b3c4d'
 */
export function versionHash(configHash: string, specifiers: string[], files: Map<string, OutputFile>): string {
  const hash = crypto.createHash('sha256').update(configHash).update(JSON.stringify(specifiers));
  for (const name of [...files.keys()].sort()) hash.update(`${name}\0${files.get(name)?.etag ?? ''}\0`);
  return hash.digest('hex').slice(0, 8);
}

function etagOf(code: string): string {
  return `"${crypto.createHash('sha1').update(code).digest('base64url')}"`;
}

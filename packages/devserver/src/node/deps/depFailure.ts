/**
 * Turns a failed pre-bundle build into errors a person can act on: which dependency, which
 * import brought it in, and esbuild's first error with its location. When the failing file
 * belongs to one of the new dependencies, only that one is refused and the others are
 * built again without it, so one broken package does not take every import down.
 */
import path from 'node:path';
import { DEPS_PREFIX } from '../../shared/constants.js';
import { DevServerError } from '../errors.js';
import type { BundleError } from './bundleDeps.js';
import type { DepRecord } from './depCache.js';
import { displayPath } from './resolveDep.js';

/** Names shown in progress lines before "… (+N more)". */
const LIST_LIMIT = 6;

/**
 * Splits a failed batch into the dependencies the errors point at and the rest. When no
 * error points at a new dependency, all of them are culprits (the known ones built before).
 */
export function splitCulprits(
  batch: DepRecord[],
  errors: BundleError[],
): { culprits: DepRecord[]; innocent: DepRecord[] } {
  const culprits = batch.filter((record) => errors.some((error) => errorBelongsTo(error, record)));
  if (culprits.length === 0) return { culprits: batch, innocent: [] };
  return { culprits, innocent: batch.filter((record) => !culprits.includes(record)) };
}

function errorBelongsTo(error: BundleError, record: DepRecord): boolean {
  if (!error.file) return false;
  return error.file === `devserver-dep:${record.specifier}` || error.file.startsWith(record.packageDir + path.sep);
}

/**
 * ERR_DEP_OPTIMIZE for one dependency of a failed build.
 *
 * @example failureToError(record, [{ text: 'Unexpected "}"', file: '/app/node_modules/x/index.js', line: 3, column: 1 }], '/app')
 */
export function failureToError(record: DepRecord, errors: BundleError[], root: string): DevServerError {
  const error = errors.find((candidate) => errorBelongsTo(candidate, record)) ?? errors[0];
  const text = (error?.text ?? 'unknown esbuild error').split('\n')[0];
  const file = error?.file && path.isAbsolute(error.file) ? error.file : undefined;
  const where = file ? ` at ${displayPath(file, root)}${error?.line ? `:${error.line}:${(error.column ?? 0) + 1}` : ''}` : '';
  return new DevServerError(
    'ERR_DEP_OPTIMIZE',
    `Pre-bundling "${record.specifier}" (imported by ${displayPath(record.importer, root)}) failed: ${text}${where}`,
    {
      id: `${DEPS_PREFIX}${record.stem}.js`,
      file: file ?? record.importer,
      loc: file && error?.line ? { line: error.line, column: error.column ?? 0 } : undefined,
      hint: `The package may not work in browsers; if it is ESM already, add "${record.specifier}" to optimizeDeps.exclude.`,
    },
  );
}

/**
 * A short list for progress lines.
 *
 * @example formatList(['react', 'react-dom/client']) // 'react, react-dom/client'
 */
export function formatList(names: string[]): string {
  if (names.length <= LIST_LIMIT) return names.join(', ');
  return `${names.slice(0, LIST_LIMIT).join(', ')} … (+${names.length - LIST_LIMIT} more)`;
}

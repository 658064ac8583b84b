/**
 * Checks a config object against `USER_CONFIG_SCHEMA` before anything uses it: unknown keys
 * (usually typos) fail with `ERR_CONFIG_UNKNOWN_KEY` and a "did you mean" hint, wrong types
 * with `ERR_CONFIG` saying what was expected. When the config came from a file, the error
 * names the file and the line where the key is written, found by searching the source text.
 */
import { DevServerError } from '../errors.js';
import { codeFrame } from '../transform/codeFrame.js';
import { closestMatch } from './didYouMean.js';
import { USER_CONFIG_SCHEMA, isObjectSchema, isPlainObject, type ObjectSchema } from './configSchema.js';
import type { UserConfig } from './types.js';

export interface ValidateConfigOptions {
  /** Absolute path of the config file the object came from. */
  file?: string;
  /** Its source text, to find the line of a bad key. */
  source?: string;
  /** Where the object came from when not a file, e.g. "createServer options". */
  origin?: string;
  /** `ignore` for objects that may carry keys meant for plugins (after `config` hooks). */
  unknownKeys?: 'error' | 'ignore';
}

/**
 * Throws a `DevServerError` when `config` has an unknown key or a value of the wrong type.
 *
 * @example
 * ```ts
 * validateConfig({ server: { prot: 3000 } }, { file, source });
 * // DevServerError ERR_CONFIG_UNKNOWN_KEY: unknown config key `server.prot` in /app/devserver.config.ts:3
 * //   hint: did you mean `server.port`?
 * ```
 */
export function validateConfig(config: unknown, options: ValidateConfigOptions = {}): asserts config is UserConfig {
  if (!isPlainObject(config)) {
    throw new DevServerError('ERR_CONFIG', `config${where(options, [])} must be an object`, {
      file: options.file,
      hint: 'export default defineConfig({ ... })',
    });
  }
  walk(config, USER_CONFIG_SCHEMA, [], options);
}

function walk(value: Record<string, unknown>, schema: ObjectSchema, parents: string[], options: ValidateConfigOptions): void {
  for (const [key, child] of Object.entries(value)) {
    const keyPath = [...parents, key];
    const node = schema.keys[key];
    if (!node) {
      if (options.unknownKeys !== 'ignore') throw unknownKey(keyPath, schema, options);
      continue;
    }
    // `undefined` means "not set" everywhere (e.g. `{ port: process.env.PORT && +process.env.PORT }`).
    if (child === undefined) continue;
    if (isObjectSchema(node)) {
      if (!isPlainObject(child)) throw wrongType(keyPath, 'an object', child, options);
      walk(child, node, keyPath, options);
      continue;
    }
    const expected = node(child);
    if (expected) throw wrongType(keyPath, expected, child, options);
  }
}

function unknownKey(keyPath: string[], schema: ObjectSchema, options: ValidateConfigOptions): DevServerError {
  const name = keyPath.join('.');
  const key = keyPath[keyPath.length - 1];
  const parent = keyPath.slice(0, -1);
  const known = Object.keys(schema.keys);
  // A key written at the wrong level (`port` at the top) beats a similar name at this level.
  const elsewhere = findElsewhere(key);
  const close = elsewhere ? undefined : closestMatch(key, known);
  const hint = elsewhere
    ? `did you mean \`${elsewhere}\`?`
    : close
      ? `did you mean \`${[...parent, close].join('.')}\`?`
      : `known keys${parent.length ? ` of \`${parent.join('.')}\`` : ''}: ${known.join(', ')}`;
  const loc = locate(keyPath, options);
  return new DevServerError('ERR_CONFIG_UNKNOWN_KEY', `unknown config key \`${name}\`${where(options, keyPath)}`, {
    file: options.file,
    loc,
    frame: loc && options.source ? codeFrame(options.source, loc.line, loc.column) : undefined,
    hint,
  });
}

function wrongType(keyPath: string[], expected: string, value: unknown, options: ValidateConfigOptions): DevServerError {
  const loc = locate(keyPath, options);
  return new DevServerError(
    'ERR_CONFIG',
    `config key \`${keyPath.join('.')}\` must be ${expected}, got ${describe(value)}${where(options, keyPath)}`,
    {
      file: options.file,
      loc,
      frame: loc && options.source ? codeFrame(options.source, loc.line, loc.column) : undefined,
      hint: 'see the config reference in the README',
    },
  );
}

/** Where a key of this exact name is known (`port` -> `server.port`), at any level. */
function findElsewhere(key: string, schema: ObjectSchema = USER_CONFIG_SCHEMA, parents: string[] = []): string | undefined {
  for (const [name, node] of Object.entries(schema.keys)) {
    if (name === key) return [...parents, name].join('.');
    if (isObjectSchema(node)) {
      const found = findElsewhere(key, node, [...parents, name]);
      if (found) return found;
    }
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}

function where(options: ValidateConfigOptions, keyPath: string[]): string {
  if (options.file) {
    const loc = keyPath.length ? locate(keyPath, options) : undefined;
    return ` in ${options.file}${loc ? `:${loc.line}` : ''}`;
  }
  return options.origin ? ` in ${options.origin}` : '';
}

function locate(keyPath: string[], options: ValidateConfigOptions): { line: number; column: number } | undefined {
  return options.source === undefined ? undefined : findKeyLocation(options.source, keyPath);
}

/**
 * Where `keyPath` is written in `source` (1-based line and column), searching for each
 * segment after the previous one; for the last segment falls back to the whole text.
 * A heuristic: it finds `key:`, `'key':` and `"key":`, not computed or shorthand keys.
 */
export function findKeyLocation(source: string, keyPath: string[]): { line: number; column: number } | undefined {
  let from = 0;
  let found = -1;
  for (const [i, key] of keyPath.entries()) {
    found = indexOfKey(source, key, from);
    if (found < 0 && i === keyPath.length - 1) found = indexOfKey(source, key, 0);
    if (found < 0) return undefined;
    from = found + key.length;
  }
  const before = source.slice(0, found);
  const line = before.split('\n').length;
  const column = found - before.lastIndexOf('\n');
  return { line, column };
}

function indexOfKey(source: string, key: string, from: number): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[\\s{,])(['"]?)${escaped}\\2\\s*:`, 'gm');
  re.lastIndex = from;
  const match = re.exec(source);
  return match ? match.index + match[1].length : -1;
}

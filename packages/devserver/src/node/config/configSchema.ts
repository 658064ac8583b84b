/**
 * What a valid `UserConfig` looks like, as data: the known keys of each object that is
 * checked for unknown keys, and a type check per leaf. `validateConfig` walks it. Kept in
 * step with types.ts by hand (a test compares the top-level keys).
 */

/** Returns what was expected when the value is wrong, undefined when it is fine. */
export type Check = (value: unknown) => string | undefined;

export interface ObjectSchema {
  keys: Record<string, Check | ObjectSchema>;
}

export function isObjectSchema(node: Check | ObjectSchema): node is ObjectSchema {
  return typeof node === 'object';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const check =
  (expected: string, ok: (v: unknown) => boolean): Check =>
  (v) =>
    ok(v) ? undefined : expected;

const isStringArray = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringRecord = (v: unknown): boolean =>
  isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string');

const string = check('a string', (v) => typeof v === 'string');
const boolean = check('a boolean (true or false)', (v) => typeof v === 'boolean');
const stringArray = check('an array of strings', isStringArray);
const object = check('an object', isPlainObject);

const port = check(
  'an integer from 0 to 65535',
  (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535,
);

const envPrefix = check('a non-empty string or an array of non-empty strings (an empty prefix would expose every variable)', (v) =>
  typeof v === 'string' ? v.length > 0 : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0),
);

/** Plugin entries: objects with a name, falsy entries (dropped), or nested arrays of those. */
function isPluginList(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.every(
      (p) =>
        !p ||
        (Array.isArray(p)
          ? isPluginList(p)
          : typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string'),
    )
  );
}
const plugins = check('an array of plugin objects (each with a `name`)', isPluginList);

const logger = check('a logger object with info, warn, error and debug functions', (v) => {
  if (!v || typeof v !== 'object') return false;
  const l = v as Record<string, unknown>;
  return ['info', 'warn', 'error', 'debug'].every((m) => typeof l[m] === 'function');
});

const BACKEND_KEYS = ['entry', 'env', 'args', 'proxy', 'port'];
const backend = check(
  'an entry path, or { entry: string, env?: Record<string, string>, args?: string[], proxy?: string | string[] | false, port?: number }',
  (v) => {
    if (typeof v === 'string') return v.length > 0;
    if (!isPlainObject(v) || typeof v.entry !== 'string' || v.entry.length === 0) return false;
    if (Object.keys(v).some((key) => !BACKEND_KEYS.includes(key))) return false;
    if (v.env !== undefined && !isStringRecord(v.env)) return false;
    if (v.args !== undefined && !isStringArray(v.args)) return false;
    if (v.proxy !== undefined && v.proxy !== false && typeof v.proxy !== 'string' && !isStringArray(v.proxy)) return false;
    return v.port === undefined || port(v.port) === undefined;
  },
);

export const USER_CONFIG_SCHEMA: ObjectSchema = {
  keys: {
    root: string,
    base: string,
    mode: string,
    publicDir: check('a string or false', (v) => typeof v === 'string' || v === false),
    define: check('an object whose values are strings (JS expressions, e.g. \'"1.0"\')', isStringRecord),
    resolve: {
      keys: {
        alias: check('an object mapping strings to strings', isStringRecord),
        conditions: stringArray,
      },
    },
    envPrefix,
    server: {
      keys: {
        port,
        host: check('a string or a boolean', (v) => typeof v === 'string' || typeof v === 'boolean'),
        strictPort: boolean,
        open: check('a boolean or a string', (v) => typeof v === 'string' || typeof v === 'boolean'),
        allowedHosts: check('an array of strings or true', (v) => v === true || isStringArray(v)),
        cors: check('a boolean or { origin: string | string[] }', (v) =>
          typeof v === 'boolean' ||
          (isPlainObject(v) && (typeof v.origin === 'string' || isStringArray(v.origin))),
        ),
        https: check('an object with key and cert', (v) => isPlainObject(v) && v.key != null && v.cert != null),
        proxy: object,
        fs: { keys: { allow: stringArray, deny: stringArray } },
        watch: object,
        overlay: boolean,
      },
    },
    plugins,
    cacheDir: string,
    optimizeDeps: { keys: { include: stringArray, exclude: stringArray, force: boolean } },
    logLevel: check("one of 'silent', 'error', 'warn', 'info'", (v) =>
      ['silent', 'error', 'warn', 'info'].includes(v as string),
    ),
    middlewareMode: boolean,
    httpServer: check('a node http(s) Server', (v) => typeof v === 'object' && v !== null),
    configFile: check('a string or false', (v) => typeof v === 'string' || v === false),
    customLogger: logger,
    debug: boolean,
    backend,
  },
};

/**
 * Reads `.env`, `.env.local`, `.env.[mode]` and `.env.[mode].local` from a folder (later
 * files win, variables already in `process.env` win over all files) and returns only the
 * variables whose names start with an allowed prefix: these end up in browser code as
 * `import.meta.env`, so nothing else (API keys, database URLs) may ever leave this function.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DevServerError, errnoCode } from '../errors.js';
import { expandValue, parseEnv, type ParsedEnvEntry } from './parseEnv.js';

export const DEFAULT_ENV_PREFIXES: readonly string[] = ['DEVSERVER_', 'VITE_'];

/**
 * The env files for `mode`, lowest priority first (whether or not they exist, so that a
 * watcher can restart the server when one is created).
 *
 * @example envFiles('development', '/app') // ['/app/.env', '/app/.env.local', '/app/.env.development', ...]
 */
export function envFiles(mode: string, envDir: string): string[] {
  return ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`].map((name) => path.join(envDir, name));
}

/**
 * The prefixed variables for `mode` from the env files in `envDir` and `process.env`.
 *
 * @example
 * ```ts
 * // .env: DEVSERVER_API=/api   SECRET=hunter2
 * loadEnv('development', '/app'); // { DEVSERVER_API: '/api' }
 * ```
 */
export function loadEnv(
  mode: string,
  envDir: string,
  prefixes: string | readonly string[] = DEFAULT_ENV_PREFIXES,
  processEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  if (mode === 'local') {
    throw new DevServerError('ERR_CONFIG', 'mode "local" is not allowed: .env.local.local would be ambiguous', {
      hint: 'pick another name for the mode, e.g. --mode dev-local',
    });
  }
  const list = typeof prefixes === 'string' ? [prefixes] : [...prefixes];
  if (list.length === 0 || list.some((p) => p === '')) {
    throw new DevServerError('ERR_CONFIG', 'envPrefix must not be empty: it would expose every environment variable', {
      hint: "use a prefix such as 'DEVSERVER_'",
    });
  }

  const raw = new Map<string, ParsedEnvEntry>();
  for (const file of envFiles(mode, envDir)) {
    for (const [key, entry] of readEnvFile(file)) raw.set(key, entry);
  }

  const resolving = new Set<string>();
  const resolved = new Map<string, string>();
  const lookup = (name: string): string | undefined => {
    const fromProcess = processEnv[name];
    if (fromProcess !== undefined) return fromProcess;
    const cached = resolved.get(name);
    if (cached !== undefined) return cached;
    const entry = raw.get(name);
    if (!entry) return undefined;
    if (!entry.expand || resolving.has(name)) return entry.value;
    resolving.add(name);
    const value = expandValue(entry.value, lookup);
    resolving.delete(name);
    resolved.set(name, value);
    return value;
  };

  const env: Record<string, string> = {};
  const names = new Set([...raw.keys(), ...Object.keys(processEnv)]);
  for (const name of names) {
    if (!list.some((prefix) => name.startsWith(prefix))) continue;
    const value = lookup(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function readEnvFile(file: string): Map<string, ParsedEnvEntry> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return new Map();
    throw new DevServerError('ERR_CONFIG', `cannot read env file ${file}: ${errnoCode(error) ?? String(error)}`, {
      file,
      hint: 'check that the file is readable, or remove it',
      cause: error,
    });
  }
  return parseEnv(text);
}

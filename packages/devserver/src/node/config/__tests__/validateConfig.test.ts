import { describe, expect, it } from 'vitest';
import { DevServerError } from '../../errors.js';
import { USER_CONFIG_SCHEMA } from '../configSchema.js';
import { closestMatch, editDistance } from '../didYouMean.js';
import type { UserConfig } from '../types.js';
import { findKeyLocation, validateConfig } from '../validateConfig.js';

function errorOf(config: unknown, file?: string, source?: string): DevServerError {
  try {
    validateConfig(config, { file, source });
  } catch (error) {
    if (error instanceof DevServerError) return error;
    throw error;
  }
  throw new Error('expected validateConfig to throw');
}

const FILE = '/app/devserver.config.ts';

describe('validateConfig: unknown keys', () => {
  it('names the key path, the file and line, and suggests the closest key', () => {
    const source = ['export default {', "  base: '/',", '  server: {', '    prot: 3000,', '  },', '};'].join('\n');
    const e = errorOf({ base: '/', server: { prot: 3000 } }, FILE, source);
    expect(e.code).toBe('ERR_CONFIG_UNKNOWN_KEY');
    expect(e.message).toBe('unknown config key `server.prot` in /app/devserver.config.ts:4');
    expect(e.details.hint).toBe('did you mean `server.port`?');
    expect(e.details.loc).toEqual({ line: 4, column: 5 });
    expect(e.details.frame).toContain('> 4 |     prot: 3000,');
  });

  it('checks top level, server.fs, resolve and optimizeDeps', () => {
    expect(errorOf({ plugin: [] }).details.hint).toBe('did you mean `plugins`?');
    expect(errorOf({ server: { fs: { alow: [] } } }).message).toBe('unknown config key `server.fs.alow`');
    expect(errorOf({ server: { fs: { alow: [] } } }).details.hint).toBe('did you mean `server.fs.allow`?');
    expect(errorOf({ resolve: { alias: {}, aliases: {} } }).details.hint).toBe('did you mean `resolve.alias`?');
    expect(errorOf({ optimizeDeps: { includes: [] } }).details.hint).toBe('did you mean `optimizeDeps.include`?');
  });

  it('points a key at the wrong level to where it belongs', () => {
    const e = errorOf({ port: 3000 }, FILE, 'export default {\n  port: 3000,\n}');
    expect(e.message).toBe('unknown config key `port` in /app/devserver.config.ts:2');
    expect(e.details.hint).toBe('did you mean `server.port`?');
    expect(errorOf({ server: { plugins: [] } }).details.hint).toBe('did you mean `plugins`?');
  });

  it('lists the known keys when nothing is close', () => {
    const e = errorOf({ server: { zzzzzzzz: 1 } });
    expect(e.details.hint).toMatch(/^known keys of `server`: port, host, /);
  });

  it('names the file without a line when the key is not found in the text', () => {
    const e = errorOf({ sever: {} }, FILE, 'export default makeConfig()');
    expect(e.message).toBe('unknown config key `sever` in /app/devserver.config.ts');
    expect(e.details.hint).toBe('did you mean `server`?');
  });

  it('can ignore unknown keys (configs after plugin hooks)', () => {
    expect(() => validateConfig({ myPluginOption: 1 }, { unknownKeys: 'ignore' })).not.toThrow();
  });
});

describe('validateConfig: types', () => {
  const cases: Array<[UserConfig | Record<string, unknown>, string]> = [
    [{ server: { port: '3000' } }, 'config key `server.port` must be an integer from 0 to 65535, got string "3000"'],
    [{ server: { port: 70000 } }, 'config key `server.port` must be an integer from 0 to 65535, got number 70000'],
    [{ plugins: {} }, 'config key `plugins` must be an array of plugin objects (each with a `name`), got object'],
    [{ plugins: [{ transform() {} }] }, 'config key `plugins` must be an array of plugin objects (each with a `name`), got an array'],
    [{ server: { strictPort: 'yes' } }, 'config key `server.strictPort` must be a boolean (true or false), got string "yes"'],
    [{ server: 'localhost' }, 'config key `server` must be an object, got string "localhost"'],
    [{ publicDir: true }, 'config key `publicDir` must be a string or false, got boolean true'],
    [{ logLevel: 'verbose' }, "config key `logLevel` must be one of 'silent', 'error', 'warn', 'info', got string \"verbose\""],
    [{ server: { fs: { allow: '/x' } } }, 'config key `server.fs.allow` must be an array of strings, got string "/x"'],
    [{ define: { __A__: true } }, 'config key `define` must be an object whose values are strings'],
    [{ envPrefix: '' }, 'config key `envPrefix` must be a non-empty string or an array of non-empty strings'],
  ];
  it.each(cases)('%j', (config, message) => {
    const e = errorOf(config);
    expect(e.code).toBe('ERR_CONFIG');
    expect(e.message.startsWith(message)).toBe(true);
  });

  it('names the file and line of a wrongly typed key', () => {
    const source = 'export default {\n  server: { port: "3000" },\n};';
    const e = errorOf({ server: { port: '3000' } }, FILE, source);
    expect(e.message).toMatch(/ in \/app\/devserver\.config\.ts:2$/);
    expect(e.details.loc).toEqual({ line: 2, column: 13 });
  });

  it('accepts a full valid config, falsy and nested plugin entries, and undefined values', () => {
    const config: UserConfig = {
      root: '.', base: '/', mode: 'dev', publicDir: false, define: { A: '"a"' },
      resolve: { alias: { '@': '/src' }, conditions: ['browser'] }, envPrefix: ['APP_'],
      server: { port: 0, host: true, strictPort: true, open: '/x', allowedHosts: true, cors: { origin: 'http://a' },
        proxy: { '/api': 'http://localhost:1' }, fs: { allow: ['..'], deny: ['*.secret'] }, watch: {}, overlay: false },
      plugins: [{ name: 'a' }, false, null, undefined], cacheDir: '.cache',
      optimizeDeps: { include: ['a'], exclude: [], force: true }, logLevel: 'silent', middlewareMode: false,
      configFile: false, debug: true,
    };
    expect(() => validateConfig(config)).not.toThrow();
    expect(() => validateConfig({ plugins: [[{ name: 'a' }, [{ name: 'b' }]]], server: { port: undefined } })).not.toThrow();
  });

  it('knows every top-level key of UserConfig', () => {
    // Kept in step with types.ts by hand: a new key there must be added to the schema.
    const keys: Array<keyof UserConfig> = [
      'root', 'base', 'mode', 'publicDir', 'define', 'resolve', 'envPrefix', 'server', 'plugins', 'cacheDir',
      'optimizeDeps', 'logLevel', 'middlewareMode', 'httpServer', 'configFile', 'customLogger', 'debug',
      'backend',
    ];
    expect(Object.keys(USER_CONFIG_SCHEMA.keys).sort()).toEqual([...keys].sort());
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('suggests only close keys, ignoring case', () => {
    expect(closestMatch('strictport', ['strictPort', 'port'])).toBe('strictPort');
    expect(closestMatch('hots', ['port', 'host'])).toBe('host');
    expect(closestMatch('banana', ['port', 'host'])).toBeUndefined();
  });
});

describe('findKeyLocation', () => {
  it('finds quoted keys and nested keys after their parent', () => {
    const source = "export default {\n  port: 1,\n  server: {\n    'port': 2,\n  },\n}";
    expect(findKeyLocation(source, ['server', 'port'])).toEqual({ line: 4, column: 5 });
    expect(findKeyLocation(source, ['port'])).toEqual({ line: 2, column: 3 });
    expect(findKeyLocation(source, ['nope'])).toBeUndefined();
  });
});

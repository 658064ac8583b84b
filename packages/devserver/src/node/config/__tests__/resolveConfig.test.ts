import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DevServerError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import type { Plugin } from '../../plugins/types.js';
import { resolveConfig } from '../resolveConfig.js';
import type { UserConfig } from '../types.js';
import { DEFINE_CONFIG_PATH, tempProject, thrown } from './helpers.js';

const silent = createLogger({ level: 'silent' });
const resolve = (inline: UserConfig, cli?: UserConfig) => resolveConfig({ customLogger: silent, ...inline }, cli);

describe('resolveConfig', () => {
  it('fills in the defaults', async () => {
    const root = tempProject({ 'index.html': '' });
    const config = await resolve({ root });
    expect(config).toMatchObject({
      root,
      base: '/',
      mode: 'development',
      publicDir: path.join(root, 'public'),
      cacheDir: path.join(root, 'node_modules/.devserver'),
      define: {},
      alias: [],
      conditions: [],
      envPrefix: ['DEVSERVER_', 'VITE_'],
      env: { MODE: 'development', DEV: true, PROD: false, SSR: false, BASE_URL: '/' },
      server: { port: 5173, host: 'localhost', strictPort: false, overlay: true, fs: { deny: [] } },
      plugins: [],
      optimizeDeps: { include: [], exclude: [], force: false },
      middlewareMode: false,
      debug: false,
    });
    expect(config.server.fs.allow).toHaveLength(1);
    expect(root.startsWith(config.server.fs.allow[0])).toBe(true);
    expect(config.configFile).toBeUndefined();
    expect(config.configDependencies).toContain(path.join(root, '.env.development.local'));
  });

  it('allows the workspace that holds the project by default, and resolves server.fs.allow', async () => {
    const repo = tempProject({ 'pnpm-workspace.yaml': "packages: ['apps/*']", 'apps/web/index.html': '' });
    const root = path.join(repo, 'apps/web');
    expect((await resolve({ root })).server.fs.allow).toEqual([repo]);
    const custom = await resolve({ root, server: { fs: { allow: ['..', '/abs'], deny: ['*.secret'] } } });
    expect(custom.server.fs).toEqual({ allow: [path.join(repo, 'apps'), '/abs'], deny: ['*.secret'] });
  });

  it('maps host true to 0.0.0.0, publicDir false to null, and normalises base', async () => {
    const root = tempProject();
    const config = await resolve({ root, publicDir: false, base: 'app', server: { host: true } });
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.publicDir).toBeNull();
    expect(config.base).toBe('/app/');
    expect(config.env.BASE_URL).toBe('/app/');
  });

  it('lets CLI flags win over createServer options, and those over the config file', async () => {
    const root = tempProject({
      'devserver.config.ts': [
        `import { defineConfig } from ${DEFINE_CONFIG_PATH};`,
        `export default defineConfig({ base: '/file/', mode: 'file', server: { port: 1111, open: true, strictPort: true } });`,
      ].join('\n'),
    });
    const config = await resolve({ root, base: '/inline/', server: { port: 2222 } }, { server: { port: 3333 }, mode: 'cli' });
    expect(config.server.port).toBe(3333);
    expect(config.mode).toBe('cli');
    expect(config.base).toBe('/inline/');
    expect(config.server.open).toBe(true);
    expect(config.server.strictPort).toBe(true);
    expect(config.configFile).toBe(path.join(root, 'devserver.config.ts'));
    expect(config.configDependencies).toContain(path.join(root, 'devserver.config.ts'));
    expect(config.configDependencies).toContain(path.join(root, '.env'));
  });

  it('accepts cliOverrides nested in the createServer options', async () => {
    const root = tempProject();
    const inline = { root, customLogger: silent, server: { port: 1 }, cliOverrides: { server: { port: 2 } } };
    expect((await resolveConfig(inline)).server.port).toBe(2);
  });

  it('skips the config file with configFile: false, and finds it with --config', async () => {
    const root = tempProject({ 'devserver.config.mjs': 'export default { base: "/file/" };', 'x/c.mjs': 'export default { base: "/x/" };' });
    expect((await resolve({ root, configFile: false })).base).toBe('/');
    expect((await resolve({ root }, { configFile: path.join(root, 'x/c.mjs') })).base).toBe('/x/');
  });

  it('validates the config file with the file and line in the message', async () => {
    const root = tempProject({ 'devserver.config.mjs': 'export default {\n  server: {\n    prot: 3000,\n  },\n};' });
    const e = (await thrown(() => resolve({ root }))) as DevServerError;
    expect(e.code).toBe('ERR_CONFIG_UNKNOWN_KEY');
    expect(e.message).toBe(`unknown config key \`server.prot\` in ${path.join(root, 'devserver.config.mjs')}:3`);
    expect(e.details.hint).toBe('did you mean `server.port`?');
  });

  it('validates createServer options and CLI flags', async () => {
    const root = tempProject();
    const e = (await thrown(() => resolve({ root }, { server: { port: Number('abc') } }))) as DevServerError;
    expect(e.message).toBe('config key `server.port` must be an integer from 0 to 65535, got number NaN in command-line flags');
    const typo = (await thrown(() => resolve({ root, prot: 1 } as UserConfig))) as DevServerError;
    expect(typo.message).toBe('unknown config key `prot` in createServer options');
  });

  it('says the root does not exist, with the hint', async () => {
    const root = path.join(tempProject(), 'missing-app');
    const e = (await thrown(() => resolve({ root }))) as DevServerError;
    expect(e).toBeInstanceOf(DevServerError);
    expect(e.code).toBe('ERR_ROOT_MISSING');
    expect(e.message).toBe(`root ${root} does not exist`);
    expect(e.details.hint).toBe('pass the folder that holds index.html: devserver ./my-app');
  });

  it('says the root is not a directory', async () => {
    const root = path.join(tempProject({ 'index.html': '<p>' }), 'index.html');
    const e = (await thrown(() => resolve({ root }))) as DevServerError;
    expect(e.code).toBe('ERR_ROOT_NOT_DIRECTORY');
    expect(e.message).toBe(`root ${root} is not a directory`);
    expect(e.details.hint).toBe('pass the folder that holds index.html, not a file: devserver ./my-app');
  });

  it('exposes only prefixed env variables, with the built-ins', async () => {
    const root = tempProject({ '.env': 'SECRET=hunter2\nDEVSERVER_A=a\nAPP_B=b', '.env.staging': 'DEVSERVER_A=staged' });
    const config = await resolve({ root, mode: 'staging' });
    expect(config.env).toEqual({ DEVSERVER_A: 'staged', MODE: 'staging', DEV: true, PROD: false, SSR: false, BASE_URL: '/' });
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect((await resolve({ root, envPrefix: 'APP_' })).env.APP_B).toBe('b');
  });

  it('turns tsconfig paths (with baseUrl, comments, extends) into aliases after resolve.alias', async () => {
    const root = tempProject({
      'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": "./src", "paths": { "#lib/*": ["lib/*"] } } }',
      'tsconfig.json': [
        '{',
        '  // comment',
        '  "extends": "./tsconfig.base.json",',
        '  "compilerOptions": {',
        '    "paths": { "@/*": ["app/*"], "~config": ["config/index.ts"], "*": ["types/*"], }, /* trailing comma */',
        '  },',
        '}',
      ].join('\n'),
      'src/app/x.ts': '',
    });
    const config = await resolve({ root, resolve: { alias: { '@app': './src/app', react: 'preact/compat', '/@root': '/src' } } });
    expect(config.alias).toEqual([
      { find: '@app', replacement: path.join(root, 'src/app') },
      { find: 'react', replacement: 'preact/compat' },
      { find: '/@root', replacement: path.join(root, 'src') },
      { find: '~config', replacement: path.join(root, 'src/config/index.ts') },
      { find: '@/', replacement: path.join(root, 'src/app') + '/' },
    ]);
  });

  it('sorts plugins by enforce, drops falsy entries, runs config then configResolved', async () => {
    const root = tempProject();
    const calls: string[] = [];
    const plugin = (name: string, enforce?: 'pre' | 'post'): Plugin => ({
      name,
      enforce,
      config: (c, env) => {
        calls.push(`config:${name}:${env.mode}:${env.command}`);
        return name === 'normal' ? { define: { FROM: '"plugin"' } } : undefined;
      },
      configResolved: (c) => {
        calls.push(`resolved:${name}:${c.define.FROM}`);
      },
    });
    const config = await resolve({ root, plugins: [plugin('post', 'post'), false, plugin('normal'), null, plugin('pre', 'pre')] });
    expect(config.plugins.map((p) => p.name)).toEqual(['pre', 'normal', 'post']);
    expect(calls).toEqual([
      'config:pre:development:serve',
      'config:normal:development:serve',
      'config:post:development:serve',
      'resolved:pre:"plugin"',
      'resolved:normal:"plugin"',
      'resolved:post:"plugin"',
    ]);
  });

  it('names the plugin whose config hook throws', async () => {
    const root = tempProject();
    const bad: Plugin = { name: 'bad-plugin', config: () => { throw new Error('boom'); } };
    const e = (await thrown(() => resolve({ root, plugins: [bad] }))) as DevServerError;
    expect(e.code).toBe('ERR_PLUGIN');
    expect(e.message).toBe('plugin bad-plugin failed in its config hook: boom');
    expect(e.details.plugin).toBe('bad-plugin');
  });

  it('resolves a root written in the config file relative to that file', async () => {
    const dir = tempProject({ 'conf/devserver.config.mjs': 'export default { root: "../app" };', 'app/index.html': '' });
    const config = await resolve({}, { configFile: path.join(dir, 'conf/devserver.config.mjs') });
    expect(config.root).toBe(path.join(dir, 'app'));
  });
});

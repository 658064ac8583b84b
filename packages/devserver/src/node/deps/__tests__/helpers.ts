/**
 * Test helpers for the pre-bundler: a temp project with hand-written packages in
 * node_modules (ESM, CommonJS with a re-export, an `exports` map, two packages sharing a
 * third through pnpm-style symlinks that point outside the root), a logger that records
 * lines, and a way to run the pre-bundled output in Node (it is plain ESM).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../../logger.js';
import type { DepOptimizer } from '../depOptimizer.js';

export interface RecordingLogger extends Logger {
  lines: string[];
  /** Lines that start a build. */
  builds(): string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m) => void lines.push(`error ${m}`),
    debug: (m) => void lines.push(`debug ${m}`),
    builds: () => lines.filter((line) => line.startsWith('info pre-bundling dependencies:')),
  };
}

export async function makeTempDir(prefix: string): Promise<string> {
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), `devserver-${prefix}-`)));
}

async function write(file: string, content: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
}

async function writePackage(dir: string, pkg: Record<string, unknown>, files: Record<string, string>): Promise<void> {
  await write(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const [name, content] of Object.entries(files)) await write(path.join(dir, name), content);
}

export interface Fixture {
  /** Temp folder holding the project and the out-of-root pnpm store. */
  base: string;
  root: string;
  cacheDir: string;
  /** An app file: the importer for every resolve(). */
  importer: string;
}

/** Builds the fixture project; remove `base` when done. */
export async function createFixture(): Promise<Fixture> {
  const base = await makeTempDir('deps');
  const root = path.join(base, 'app');
  const nm = path.join(root, 'node_modules');
  await write(path.join(root, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  await write(path.join(root, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  await write(path.join(root, 'src/main.js'), "import 'esm-pkg';\n");

  await writePackage(path.join(nm, 'esm-pkg'), { name: 'esm-pkg', type: 'module', main: 'index.js' }, {
    'index.js': "export const hello = (n) => `hello ${n}`;\nexport * from './more.js';\nexport default function greet() { return 'greet'; }\n",
    'more.js': 'export const more = 1;\n',
  });
  await writePackage(path.join(nm, 'esm-nodefault'), { name: 'esm-nodefault', module: 'esm.js', main: 'cjs.js' }, {
    'esm.js': 'export const only = true;\n',
    'cjs.js': 'exports.only = "wrong file";\n',
  });
  await writePackage(path.join(nm, 'cjs-pkg'), { name: 'cjs-pkg', main: 'index.js' }, {
    'index.js': "'use strict';\nmodule.exports = require('./impl');\n",
    'impl.js': [
      "exports.foo = () => 'foo';",
      'exports.bar = 42;',
      "exports['not-an-identifier'] = 1;",
      "exports.delete = 'reserved word';",
      'exports.mode = process.env.NODE_ENV;',
      '',
    ].join('\n'),
  });
  await writePackage(
    path.join(nm, '@scope/exp'),
    {
      name: '@scope/exp',
      exports: {
        '.': { browser: './browser.js', import: './esm.js', default: './main.cjs' },
        './sub': { development: './sub.dev.js', default: './sub.prod.js' },
      },
    },
    {
      'browser.js': "export const target = 'browser';\n",
      'esm.js': "export const target = 'import';\n",
      'main.cjs': "exports.target = 'default';\n",
      'sub.dev.js': "export const sub = 'development';\n",
      'sub.prod.js': "export const sub = 'production';\n",
    },
  );
  await writePackage(path.join(nm, 'cjs-esmodule'), { name: 'cjs-esmodule', main: 'index.js' }, {
    'index.js': [
      "Object.defineProperty(exports, '__esModule', { value: true });",
      "exports.default = function compiled() { return 'default export'; };",
      "exports.named = 'named';",
      '',
    ].join('\n'),
  });
  await writePackage(path.join(nm, 'broken-pkg'), { name: 'broken-pkg', main: 'index.js' }, {
    'index.js': 'export const x = ;\n',
  });
  await writePnpmShared(base, nm);
  return { base, root, cacheDir: path.join(root, 'node_modules/.devserver'), importer: path.join(root, 'src/main.js') };
}

/**
 * pnpm layout with the store outside the root: dep-a and dep-b each see `shared-counter`
 * as a sibling symlink; the bundle must hold one copy of it.
 */
async function writePnpmShared(base: string, nm: string): Promise<void> {
  const store = path.join(base, 'store/.pnpm');
  const shared = path.join(store, 'shared-counter@1.0.0/node_modules/shared-counter');
  await writePackage(shared, { name: 'shared-counter', main: 'index.js' }, {
    'index.js': 'let count = 0;\nexports.increment = () => ++count;\nexports.identity = {};\n',
  });
  for (const name of ['dep-a', 'dep-b']) {
    const modules = path.join(store, `${name}@1.0.0/node_modules`);
    await writePackage(path.join(modules, name), { name, main: 'index.js' }, {
      'index.js': `const shared = require('shared-counter');\nexports.bump = () => shared.increment();\nexports.sharedIdentity = shared.identity;\nexports.name = '${name}';\n`,
    });
    await fs.symlink(path.relative(modules, shared), path.join(modules, 'shared-counter'));
    await fs.symlink(path.relative(nm, path.join(modules, name)), path.join(nm, name));
  }
}

/**
 * Copies `urls` and every chunk they import (via load()) into a fresh folder and imports
 * them in Node. Returns the module namespaces in the order of `urls`.
 */
export async function runInNode(
  optimizer: DepOptimizer,
  urls: string[],
  base: string,
): Promise<Array<Record<string, unknown>>> {
  const dir = await fs.mkdtemp(path.join(base, 'run-'));
  await fs.writeFile(path.join(dir, 'package.json'), '{"type":"module"}');
  const copied = new Set<string>();
  const copy = async (name: string): Promise<void> => {
    if (copied.has(name)) return;
    copied.add(name);
    const file = await optimizer.load(`/@deps/${name}`);
    if (!file) throw new Error(`load() returned null for /@deps/${name}`);
    await fs.writeFile(path.join(dir, name), file.code);
    for (const child of relativeImports(file.code)) await copy(child);
  };
  for (const url of urls) await copy(fileNameOf(url));
  const namespaces: Array<Record<string, unknown>> = [];
  for (const url of urls) {
    const namespace: unknown = await import(/* @vite-ignore */ pathToFileURL(path.join(dir, fileNameOf(url))).href);
    namespaces.push(namespace as Record<string, unknown>);
  }
  return namespaces;
}

/** `./chunk-X.js` names imported by a pre-bundled file. */
export function relativeImports(code: string): string[] {
  return [...code.matchAll(/(?:from|import)\s*["']\.\/([^"']+)["']/g)].map((match) => match[1] as string);
}

/** `/@deps/react.js?v=abc` -> `react.js` */
export function fileNameOf(url: string): string {
  return (url.split('?')[0] ?? '').slice('/@deps/'.length);
}

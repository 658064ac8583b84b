/**
 * esbuild plugin: dependencies stay outside the backend bundle (Node loads them from
 * node_modules as usual), but they are written into it as the absolute file each one
 * resolves to from its importer. `packages: 'external'` would keep bare names, which Node
 * then resolves from the bundle's location in the cache dir: wrong for a backend in a
 * sub-folder with its own node_modules, or a cache dir outside the project.
 * Bundled after all: what resolves outside any node_modules folder (a linked workspace
 * package, maybe TypeScript that Node cannot run), package.json `#imports`, and JSON.
 */
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

const SKIP = Symbol('devserver-backend-externals');

export function nodeExternalsPlugin(): Plugin {
  return {
    name: 'devserver-backend-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === SKIP || path.isAbsolute(args.path)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: SKIP,
        });
        if (resolved.errors.length) return { errors: resolved.errors };
        if (resolved.external || !path.isAbsolute(resolved.path)) return { path: resolved.path, external: resolved.external };
        const inNodeModules = resolved.path.split(path.sep).includes('node_modules');
        if (!inNodeModules || resolved.path.endsWith('.json')) return { path: resolved.path };
        const isRequire = args.kind === 'require-call' || args.kind === 'require-resolve';
        return { path: isRequire ? resolved.path : pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

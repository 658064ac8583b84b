/**
 * Links a built module to the rest of the graph: resolves each import (plugins, then the
 * resolver, then the dependency pre-bundler), records the edges, and turns the transform's
 * output into the payload the browser receives, with its version hash.
 */
import type { ModulePayload } from '../../shared/protocol.js';
import { MODULES_PATH } from '../../shared/constants.js';
import type { DepOptimizer } from '../deps/depOptimizer.js';
import type { PluginContainer } from '../plugins/pluginContainer.js';
import type { Resolver } from '../resolve/resolver.js';
import { CSS_HELPER_ID } from '../transform/moduleKinds.js';
import { wrapFactory, type ScriptModuleInfo } from '../transform/scriptTransform.js';
import { hashOf } from './contentHash.js';
import type { ModuleGraph, ModuleNode } from './moduleGraph.js';
import { locate, toModuleError } from './moduleErrors.js';

export const VIRTUAL_PREFIX = '/@id/';

export interface ImportLinkerOptions {
  graph: ModuleGraph;
  resolver: Resolver;
  plugins: PluginContainer;
  deps: DepOptimizer;
  /** Mints the module id of a plugin's virtual id (`\0x` -> `/@id/__x00__x`). */
  virtualId(pluginId: string): string;
}

export interface ImportLinker {
  toPayload(node: ModuleNode, info: ScriptModuleInfo & { body: string }, source: string, withMap: boolean): Promise<ModulePayload>;
  resolveImport(spec: string, importer: string): Promise<string>;
  /** Waits for pending dependency builds: all of them, or the one of a module id. */
  settled(id?: string): Promise<void>;
}

export function createImportLinker(options: ImportLinkerOptions): ImportLinker {
  const { graph, resolver, plugins, deps, virtualId } = options;
  /** Dependency builds not landed yet, by module id. */
  const pendingDeps = new Map<string, Promise<void>>();

  async function toPayload(
    node: ModuleNode,
    info: ScriptModuleInfo & { body: string },
    source: string,
    withMap: boolean,
  ): Promise<ModulePayload> {
    const importer = node.file ?? node.id;
    const depIds: Record<string, string> = {};
    const dynamicIds: Record<string, string> = {};
    const resolveOne = async (spec: string, dynamic: boolean) => {
      try {
        return await resolveImport(spec, importer);
      } catch (error) {
        if (dynamic) return null;
        throw locate(error, spec, source, node);
      }
    };
    await Promise.all([
      ...info.deps.map(async (spec) => {
        depIds[spec] = (await resolveOne(spec, false))!;
      }),
      ...info.dynamicDeps.map(async (spec) => {
        const id = await resolveOne(spec, true);
        if (id) dynamicIds[spec] = id;
      }),
    ]);
    graph.setImports(node, Object.values(depIds), Object.values(dynamicIds));
    const imports = info.deps.map((spec) => ({ id: depIds[spec], names: [...info.importedNames.get(spec)!] }));
    const stars = info.stars.map((spec) => depIds[spec]);
    const hash = hashOf(info.body + JSON.stringify(depIds) + JSON.stringify(dynamicIds));
    const mapUrl = withMap ? `${MODULES_PATH}/sourcemap?id=${encodeURIComponent(node.id)}&v=${hash}` : undefined;
    return {
      id: node.id,
      hash,
      deps: depIds,
      dynamicDeps: dynamicIds,
      imports,
      exports: info.exports,
      stars,
      tla: info.tla,
      code: wrapFactory(info.body, `${node.id}${node.id.includes('?') ? '&' : '?'}v=${hash}`, mapUrl),
    };
  }

  /** Resolves one specifier to a module id, creating dependency nodes as needed. */
  async function resolveImport(spec: string, importer: string): Promise<string> {
    if (spec === CSS_HELPER_ID) return CSS_HELPER_ID;
    const pluginResolved = await plugins.resolveId(spec, importer);
    if (pluginResolved) {
      if (pluginResolved.startsWith('/') && !pluginResolved.startsWith(VIRTUAL_PREFIX)) {
        const r = resolver.resolve(pluginResolved, importer);
        if (r.type === 'file') return r.id;
      }
      return virtualId(pluginResolved);
    }
    const resolution = resolver.resolve(spec, importer);
    if (resolution.type === 'file' || resolution.type === 'external') return resolution.id;
    // The importer needs only the id; the build is awaited once for the whole page (settled()).
    const { id, built } = await deps.prepare(resolution.specifier, importer);
    const node = graph.ensure(id, null, 'js');
    if (!pendingDeps.has(id)) {
      const pending = built.then(
        (dep) => {
          node.error = null;
          if (node.payload?.url === dep.url) return;
          const version = new URL(dep.url, 'http://x').searchParams.get('v') ?? dep.url;
          node.payload = { id, hash: version, deps: {}, dynamicDeps: {}, imports: [], exports: dep.exports, stars: [], tla: false, code: '', url: dep.url };
          node.payloadJson = JSON.stringify(node.payload);
        },
        (error: unknown) => {
          node.error = toModuleError(error, node);
        },
      );
      pendingDeps.set(id, pending);
      void pending.finally(() => {
        if (pendingDeps.get(id) === pending) pendingDeps.delete(id);
      });
    }
    return id;
  }

  /** Resolves when every dependency build started so far (or only `id`'s) has landed. */
  async function settled(id?: string): Promise<void> {
    if (id !== undefined) return pendingDeps.get(id);
    while (pendingDeps.size) await Promise.all(pendingDeps.values());
  }

  return { toPayload, resolveImport, settled };
}

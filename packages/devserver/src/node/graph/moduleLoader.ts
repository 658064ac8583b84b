/**
 * Builds modules into payloads and keeps them in the graph: read (through the file gate),
 * plugin load/transform, the format's own transform, import resolution, and the payload
 * the browser receives. Each version is built once and cached by content hash; concurrent
 * requests for the same module share one build.
 */
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { DEPS_PREFIX, FS_PREFIX } from '../../shared/constants.js';
import { DevServerError, isDevServerError } from '../errors.js';
import path from 'node:path';
import { SCRIPT_EXTENSIONS, type Resolver } from '../resolve/resolver.js';
import type { PluginContainer } from '../plugins/pluginContainer.js';
import type { DepOptimizer } from '../deps/depOptimizer.js';
import type { FileGate } from '../security/fileGate.js';
import { transformScript } from '../transform/scriptTransform.js';
import { bundleCss, type CssResult } from '../transform/cssTransform.js';
import { bundleCssModule } from '../transform/cssModules.js';
import {
  CSS_HELPER_ID,
  cssModuleSource,
  formatOf,
  jsonModuleSource,
  kindOf,
  scopedCssModuleSource,
  scriptLang,
  stringModuleSource,
  type ModuleFormat,
} from '../transform/moduleKinds.js';
import type { ModuleGraph, ModuleNode } from './moduleGraph.js';
import { hashFile, hashOf } from './contentHash.js';
import { createImportLinker, VIRTUAL_PREFIX } from './importLinker.js';
import { refusedFile, refusedImport, toModuleError } from './moduleErrors.js';

export { VIRTUAL_PREFIX };

/** Largest non-script file handed to plugin transforms as text. */
const PLUGIN_TEXT_LIMIT = 1024 * 1024;

export interface ModuleLoaderOptions {
  graph: ModuleGraph;
  resolver: Resolver;
  plugins: PluginContainer;
  deps: DepOptimizer;
  gate: FileGate;
  define: Record<string, string>;
  /** Sources held in memory (inline `<script type=module>` of HTML pages), by module id. */
  memorySource?: (id: string) => string | undefined;
  /** Public base path (`/app/`): asset URLs handed to modules carry it. */
  base?: string;
  /** Called for each module file outside the root (linked workspace packages) to watch it. */
  watchOutsideRoot?: (file: string) => void;
  /** Set by the React plugin: files whose JSX gets Fast Refresh registration. */
  jsxRefresh?: (id: string) => boolean;
}

export type BuildOutcome = 'changed' | 'unchanged';

export interface ModuleLoader {
  /** The module, built if it has no current version. Never throws: errors are on the node. */
  load(id: string): Promise<ModuleNode>;
  /** Rebuilds a module from disk; 'unchanged' when the new version equals the served one. */
  rebuild(node: ModuleNode): Promise<BuildOutcome>;
  /** Every module statically reachable from the entries, built. */
  crawl(entryIds: string[]): Promise<ModuleNode[]>;
  /** Id of a module a plugin resolved to a virtual id (`\0x` -> `/@id/__x00__x`). */
  virtualId(pluginId: string): string;
}

export function createModuleLoader(options: ModuleLoaderOptions): ModuleLoader {
  const { graph, resolver, plugins, deps, gate } = options;
  const inFlight = new Map<ModuleNode, Promise<BuildOutcome>>();

  /**
   * Virtual ids a plugin's resolveId produced. Only those are handed to load hooks: any
   * other `/@id/<x>` would pass a request-chosen `<x>` (an absolute path, `../.env`) to
   * plugins that read the file at the id they get, past the file gate.
   */
  const mintedVirtualIds = new Set<string>();

  function virtualId(pluginId: string): string {
    const id = VIRTUAL_PREFIX + pluginId.replace(/\0/g, '__x00__');
    mintedVirtualIds.add(id);
    return id;
  }

  const linker = createImportLinker({ graph, resolver, plugins, deps, virtualId });
  const { toPayload } = linker;

  function formatOfNode(id: string): ModuleFormat {
    if (id.startsWith(VIRTUAL_PREFIX) || options.memorySource?.(id) !== undefined) return 'script';
    return formatOf(id) ?? 'asset';
  }

  function pluginIdOf(id: string): string {
    return id.startsWith(VIRTUAL_PREFIX) ? id.slice(VIRTUAL_PREFIX.length).replace(/__x00__/g, '\0') : resolver.fileOf(id) + (id.includes('?') ? id.slice(id.indexOf('?')) : '');
  }

  function ensureNode(id: string): ModuleNode {
    const existing = graph.get(id);
    if (existing) return existing;
    // Inline HTML scripts keep their page's file, so relative imports resolve from the page.
    const file = id.startsWith(VIRTUAL_PREFIX) ? null : resolver.fileOf(id);
    if (file && id.startsWith(FS_PREFIX)) options.watchOutsideRoot?.(file);
    return graph.ensure(id, file, kindOf(formatOfNode(id)));
  }

  async function load(id: string): Promise<ModuleNode> {
    if (id.startsWith(DEPS_PREFIX)) {
      // A pre-bundled dependency: its node is filled by its build, never built from a file.
      await linker.settled(id);
      return graph.get(id) ?? graph.ensure(id, null, 'js');
    }
    const node = ensureNode(id);
    if (!node.payload && !node.error) await rebuild(node);
    return node;
  }

  function rebuild(node: ModuleNode): Promise<BuildOutcome> {
    const running = inFlight.get(node);
    if (running) return running.then(() => build(node));
    const promise = build(node).finally(() => inFlight.delete(node));
    inFlight.set(node, promise);
    return promise;
  }

  /**
   * The source text; for assets (read as URLs, not text) `version` is a hash of the file's
   * bytes instead, so the module's default export (the URL) changes when the file does.
   */
  async function readSource(node: ModuleNode, format: ModuleFormat): Promise<{ text: string; version?: string }> {
    const inMemory = options.memorySource?.(node.id);
    if (inMemory !== undefined) return { text: inMemory };
    // The gate runs before plugins' load hooks: a loader plugin (svg, markdown…) reads the
    // file at the id it is given, so an id outside the roots or on the deny list must never
    // reach it. Missing files inside the roots may still be provided by a plugin.
    const verdict = node.file ? await gate.check(node.file) : null;
    if (verdict && !verdict.ok && verdict.reason !== 'not-found') throw refusedFile(node, verdict.reason);
    if (node.id.startsWith(VIRTUAL_PREFIX) && !mintedVirtualIds.has(node.id)) {
      throw new DevServerError('ERR_NOT_FOUND', `Unknown virtual module ${node.id}: no plugin resolved an import to it`, { id: node.id });
    }
    const loaded = await plugins.load(pluginIdOf(node.id));
    if (loaded) return { text: loaded.code };
    if (!node.file || !verdict) throw new DevServerError('ERR_NOT_FOUND', `No plugin loaded the virtual module ${node.id}`, { id: node.id });
    if (!verdict.ok) throw new DevServerError('ERR_NOT_FOUND', `File not found: ${node.id}`, { id: node.id, file: node.file });
    if (format === 'url') return { text: '', version: await hashFile(verdict.realPath) };
    if (format === 'asset') {
      // A plugin may turn a file type into a module (`.txt` -> JS): give it the text.
      const stat = await fs.stat(verdict.realPath);
      const text = plugins.hasTransform && stat.size <= PLUGIN_TEXT_LIMIT ? await fs.readFile(verdict.realPath, 'utf8') : '';
      return { text, version: await hashFile(verdict.realPath) };
    }
    // Sources are small: a synchronous read is one open/read/close on this thread instead of
    // four thread-pool round trips, which matters for a thousand modules in one page load.
    return { text: readFileSync(verdict.realPath, 'utf8') };
  }

  async function build(node: ModuleNode): Promise<BuildOutcome> {
    let format = formatOfNode(node.id);
    try {
      const { text, version } = await readSource(node, format);
      const sourceHash = hashOf(text + '\0' + node.id + (version ?? ''));
      if (sourceHash === node.sourceHash && node.payload && !node.error) return 'unchanged';
      const transformed = await plugins.transform(text, pluginIdOf(node.id));
      // Non-script files that a plugin transformed are scripts from here on.
      if (format !== 'script' && format !== 'css' && text && transformed.code !== text) format = 'script';
      const { source, watchFiles, cssText } = await toScriptSource(node, format, transformed.code, version);
      const result = await transformScript(source, {
        id: node.id,
        filename: oxcFilename(node.file ?? node.id, formatOfNode(node.id) === 'script' ? format : 'asset'),
        lang: format === 'script' && formatOfNode(node.id) === 'script' ? scriptLang(node.file ?? node.id) : 'js',
        define: options.define,
        jsxRefresh: options.jsxRefresh?.(node.id),
      });
      const payload = await toPayload(node, result, text, format === 'script');
      const previousHash = node.payload?.hash;
      node.sourceHash = sourceHash;
      node.error = null;
      node.cssText = cssText;
      // The core's passes, then the plugins' (each map goes from its output to its input).
      node.mapInput = format === 'script' ? { maps: [...result.maps, ...transformed.maps], source: text } : null;
      graph.setWatchFiles(node, watchFiles);
      node.payload = payload;
      node.payloadJson = JSON.stringify(payload);
      return payload.hash === previousHash ? 'unchanged' : 'changed';
    } catch (error) {
      node.error = toModuleError(error, node);
      node.sourceHash = null;
      return 'changed';
    }
  }

  async function toScriptSource(
    node: ModuleNode,
    format: ModuleFormat,
    text: string,
    version: string | undefined,
  ): Promise<{ source: string; watchFiles: string[]; cssText: string | null }> {
    const url = node.id.split('?')[0];
    switch (format) {
      case 'script':
        return { source: text, watchFiles: [], cssText: null };
      case 'css': {
        const { css, files } = await bundleCssGated(node, bundleCss);
        return { source: cssModuleSource(url, css), watchFiles: files.filter((f) => f !== node.file), cssText: css };
      }
      case 'css-module': {
        // `composes ... from` and `@import`ed files are watch files: editing one rebuilds this module.
        const { css, files, classes } = await bundleCssGated(node, bundleCssModule);
        return { source: scopedCssModuleSource(url, css, classes), watchFiles: files.filter((f) => f !== node.file), cssText: css };
      }
      case 'json':
        return { source: jsonModuleSource(text), watchFiles: [], cssText: null };
      case 'raw':
        return { source: stringModuleSource(await fs.readFile(node.file!, 'utf8')), watchFiles: [], cssText: null };
      case 'asset':
      case 'url':
        const publicUrl = (options.base ?? '/') + url.slice(1);
        return { source: stringModuleSource(version ? `${publicUrl}?v=${version}` : publicUrl), watchFiles: [], cssText: null };
    }
  }

  /**
   * bundleCss with the file gate applied to what esbuild read on its own: an `@import` of a
   * file outside the allowed roots or on the deny list (directly or through a symlink)
   * would otherwise be inlined into the served CSS, and a syntax error in such a file
   * would carry its text in the message and code frame. The whole stylesheet is refused.
   */
  async function bundleCssGated<R extends CssResult>(node: ModuleNode, bundle: (file: string, id: string) => Promise<R>): Promise<R> {
    let result: R;
    try {
      result = await bundle(node.file!, node.id);
    } catch (error) {
      const file = isDevServerError(error) ? error.details.file : undefined;
      if (file !== undefined && !(await gate.check(file)).ok) throw refusedImport(node, resolver.idOf(file));
      throw error;
    }
    for (const file of result.files) {
      if (!(await gate.check(file)).ok) throw refusedImport(node, resolver.idOf(file));
    }
    return result;
  }

  async function crawl(entryIds: string[]): Promise<ModuleNode[]> {
    const seen = new Set<string>();
    const out: ModuleNode[] = [];
    const visit = async (id: string): Promise<void> => {
      if (seen.has(id) || id === CSS_HELPER_ID || /^(https?:|data:)/.test(id)) return;
      seen.add(id);
      const node = id.startsWith(DEPS_PREFIX) ? graph.get(id) : await load(id);
      if (!node) return;
      out.push(node);
      await Promise.all([...node.imports].map(visit));
    };
    await Promise.all(entryIds.map(visit));
    // Dependencies found during the crawl were batched into one build; wait for it once.
    await linker.settled();
    return out;
  }

  return { load, rebuild, crawl, virtualId };
}

/** oxc picks the syntax by extension: generated and inline modules are plain JS. */
function oxcFilename(file: string, format: ModuleFormat): string {
  if (format === 'script' && SCRIPT_EXTENSIONS.includes(path.extname(file))) return file;
  return `${file}.js`;
}


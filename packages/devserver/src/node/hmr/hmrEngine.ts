/**
 * From file changes to update manifests (hmr-spec.md section 1). For each change set:
 * rebuild every module the files feed, drop versions equal to what was served (no-op
 * saves send nothing), let plugins narrow the update (handleHotUpdate), then broadcast one
 * manifest with the changed ids, their new hashes and kinds, and the deleted modules.
 * Build errors go out as `error` messages and stay open for tabs that connect later;
 * a failed build never lists a module as removed.
 */
import path from 'node:path';
import type { ChangedModule, ErrorPayload, ModulePayload, ServerMessage } from '../../shared/protocol.js';
import { toErrorPayload } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ModuleGraph, ModuleNode } from '../graph/moduleGraph.js';
import type { ModuleLoader } from '../graph/moduleLoader.js';
import { hashOf } from '../graph/contentHash.js';
import type { Plugin, HmrContext } from '../plugins/types.js';
import { formatOf } from '../transform/moduleKinds.js';
import { fileSignature, type FileChange } from '../watch/changeCoalescer.js';
import { formatErrorForTerminal } from '../formatError.js';
import type { HotChannel } from './hotChannel.js';

/** Above this much new code, tabs fetch it instead (most tabs may not need it). */
const INLINE_PAYLOAD_LIMIT = 256 * 1024;

export interface HmrEngineOptions {
  root: string;
  publicDir: string | null;
  graph: ModuleGraph;
  loader: ModuleLoader;
  channel: HotChannel;
  logger: Logger;
  plugins: Plugin[];
  /** Builds the HmrContext.server value lazily (the server object wraps the engine). */
  hmrContext: (file: string, modules: ModuleNode[]) => HmrContext;
}

export interface HmrEngine {
  handleChangeSet(changes: FileChange[]): Promise<void>;
  /** Rebuilds one module as if its file changed (`server.reloadModule`). */
  reloadModule(id: string): Promise<void>;
  /** Errors not fixed yet, for tabs that connect later. */
  openErrors(): ServerMessage[];
}

export function createHmrEngine(options: HmrEngineOptions): HmrEngine {
  const { graph, loader, channel, logger, root } = options;
  const errors = new Map<string, ErrorPayload>();
  /**
   * Deleted files -> the modules they served and the hash last sent. Tabs keep running those
   * versions, so when the file comes back its module is compared with them and sent if it
   * differs (the graph forgot the module on unlink, and its importers rebuild unchanged).
   */
  const deleted = new Map<string, Array<{ id: string; hash: string }>>();
  /** Nodes built from a file that was written again while it was read: not sent yet. */
  const unsent = new Set<ModuleNode>();
  let buildHash = 'initial';

  function relative(file: string): string {
    return path.relative(root, file) || file;
  }

  /**
   * Rebuilds nodes; returns those whose served version changed, reporting errors. A node
   * built from a file of `changes` that was written again while it was read (the next
   * save of a burst truncated it, or a write was half done) may hold an intermediate state:
   * it is neither sent nor reported, since the coalescer sees the file moved and delivers
   * it again; that next build is then sent even if it equals this one.
   */
  async function rebuild(nodes: ModuleNode[], changes: FileChange[] = []): Promise<ModuleNode[]> {
    const outcomes = await Promise.all(nodes.map((node) => loader.rebuild(node)));
    const moved = await movedFiles(changes);
    const changed: ModuleNode[] = [];
    nodes.forEach((node, i) => {
      if (moved.size && builtFrom(node, moved)) {
        logger.debug(`${relative(node.file ?? node.id)} was written again while it was read: not sent, checked again`);
        unsent.add(node);
        return;
      }
      settle(node, unsent.delete(node) ? 'changed' : outcomes[i], changed);
    });
    return changed;
  }

  async function movedFiles(changes: FileChange[]): Promise<Set<string>> {
    const moved = new Set<string>();
    await Promise.all(
      changes.map(async (c) => {
        if (c.signature !== undefined && (await fileSignature(c.file)) !== c.signature) moved.add(c.file);
      }),
    );
    return moved;
  }

  function builtFrom(node: ModuleNode, files: Set<string>): boolean {
    return (node.file !== null && files.has(node.file)) || [...node.watchFiles].some((f) => files.has(f));
  }

  /** Modules of re-created files, built again; those that differ from what tabs last got. */
  async function revive(modules: Array<{ id: string; hash: string }>): Promise<ModuleNode[]> {
    const changed: ModuleNode[] = [];
    for (const { id, hash } of modules) {
      const node = await loader.load(id);
      settle(node, node.payload?.hash === hash ? 'unchanged' : 'changed', changed);
    }
    return changed;
  }

  /** Reports a built node's error (or that it is fixed); adds it to `changed` if it changed. */
  function settle(node: ModuleNode, outcome: 'changed' | 'unchanged', changed: ModuleNode[]): void {
    if (node.error) {
      const payload = { ...toErrorPayload(node.error), importerChain: graph.importerChain(node.id) };
      const previous = errors.get(node.id);
      // The same error again (a no-op save of a broken file) is not re-sent; a new column
      // or code frame is: the overlay must not show a stale location.
      const same = previous?.message === payload.message && previous.loc?.line === payload.loc?.line && previous.loc?.column === payload.loc?.column && previous.frame === payload.frame;
      if (!same) {
        errors.set(node.id, payload);
        logger.error(formatErrorForTerminal(payload));
        channel.broadcast({ type: 'error', error: payload });
      }
      return;
    }
    if (errors.delete(node.id)) channel.broadcast({ type: 'error-cleared', id: node.id });
    if (outcome === 'changed') changed.push(node);
  }

  async function narrow(file: string, nodes: ModuleNode[]): Promise<ModuleNode[]> {
    let current = nodes;
    for (const plugin of options.plugins) {
      if (!plugin.handleHotUpdate) continue;
      const result = await plugin.handleHotUpdate(options.hmrContext(file, current));
      if (Array.isArray(result)) current = result.map((m) => graph.get(m.id)).filter((n): n is ModuleNode => !!n);
    }
    return current;
  }

  function isPage(file: string): boolean {
    return file.endsWith('.html') && !relative(file).startsWith('..');
  }

  async function handleChangeSet(changes: FileChange[]): Promise<void> {
    const started = Math.min(...changes.map((c) => c.firstEventAt));
    logger.debug(`change set after ${(performance.now() - started).toFixed(1)} ms: ${changes.map((c) => `${c.kind} ${relative(c.file)}`).join(', ')}`);
    const changed = new Map<string, ChangedModule>();
    const removed: string[] = [];
    const toRebuild = new Set<ModuleNode>();
    const revived: Array<{ id: string; hash: string }> = [];
    for (const change of changes) {
      if (isPage(change.file) && change.kind !== 'unlink') {
        const page = '/' + relative(change.file).split(path.sep).join('/');
        logger.info(`page reload ${page}`);
        channel.broadcast({ type: 'full-reload', reason: `${page} changed`, page });
        continue;
      }
      const nodes = graph.modulesOfFile(change.file);
      if (change.kind === 'unlink') {
        const gone = nodes.filter((n) => n.file === change.file);
        const served = gone.flatMap((n) => (n.payload ? [{ id: n.id, hash: n.payload.hash }] : []));
        if (served.length) deleted.set(change.file, served);
        for (const node of gone) {
          removed.push(node.id);
          graph.remove(node.id);
          for (const importer of node.importers) {
            const importerNode = graph.get(importer);
            if (!importerNode) continue;
            importerNode.sourceHash = null; // its source is the same; its resolution is not
            toRebuild.add(importerNode);
          }
        }
        for (const node of nodes.filter((n) => n.file !== change.file)) toRebuild.add(node);
        continue;
      }
      if (change.kind === 'add') {
        // A new file can heal imports that failed to resolve.
        for (const id of errors.keys()) {
          const node = graph.get(id);
          if (node?.error?.code !== 'ERR_UNRESOLVED_IMPORT') continue;
          node.sourceHash = null;
          toRebuild.add(node);
        }
      }
      const narrowed = nodes.length ? await narrow(change.file, nodes) : nodes;
      for (const node of narrowed) {
        // Built from another file (an @import, a plugin watch file): its own source is
        // unchanged, so skip the no-op shortcut; the payload hash still dedupes.
        if (node.file !== change.file) node.sourceHash = null;
        toRebuild.add(node);
      }
      for (const module of deleted.get(change.file) ?? []) if (!graph.get(module.id)) revived.push(module);
      deleted.delete(change.file);
      if (!nodes.length) assetChange(change.file, changed);
    }
    const rebuildStart = performance.now();
    const rebuilt = await rebuild([...toRebuild].filter((n) => graph.get(n.id) === n), changes);
    rebuilt.push(...(await revive(revived)));
    logger.debug(`rebuilt ${toRebuild.size} module(s) in ${(performance.now() - rebuildStart).toFixed(1)} ms, ${rebuilt.length} changed`);
    for (const node of rebuilt) {
      changed.set(node.id, { id: node.id, hash: node.payload!.hash, kind: node.kind });
    }
    if (!changed.size && !removed.length) {
      logger.debug('nothing changed in what was served: no update sent');
      return;
    }
    const list = [...changed.values()].sort((a, b) => a.id.localeCompare(b.id));
    buildHash = hashOf(buildHash + JSON.stringify(list) + removed.join());
    channel.broadcast({
      type: 'update',
      hash: buildHash,
      changed: list,
      removed: removed.sort(),
      eventAt: Date.now() - (performance.now() - started),
      modules: inlinePayloads(list),
    });
    const took = (performance.now() - started).toFixed(1);
    const what = [...list.map((c) => c.id), ...removed.map((id) => `${id} (deleted)`)].join(', ');
    logger.info(`hmr update ${what} (${took} ms)`);
  }

  /** Files that are not modules but pages may use directly (public dir, <img src>). */
  function assetChange(file: string, changed: Map<string, ChangedModule>): void {
    const base = options.publicDir && file.startsWith(options.publicDir + path.sep) ? options.publicDir : root;
    const rel = path.relative(base, file);
    if (rel.startsWith('..')) return;
    const id = '/' + rel.split(path.sep).join('/');
    const format = formatOf(id);
    if (format !== 'asset' && format !== 'css' && base === root) return;
    changed.set(id, { id, hash: hashOf(id + Date.now()), kind: format === 'css' ? 'css' : 'asset' });
  }

  /** The new code of small updates rides along with the manifest (see ServerMessage). */
  function inlinePayloads(list: ChangedModule[]): ModulePayload[] | undefined {
    const payloads: ModulePayload[] = [];
    let size = 0;
    for (const c of list) {
      const payload = graph.get(c.id)?.payload;
      if (!payload || payload.url || payload.hash !== c.hash) continue;
      size += payload.code.length;
      if (size > INLINE_PAYLOAD_LIMIT) return undefined;
      payloads.push(payload);
    }
    return payloads.length ? payloads : undefined;
  }

  return {
    handleChangeSet,
    async reloadModule(id) {
      const node = graph.get(id);
      if (!node) return;
      node.sourceHash = null;
      node.payload = null;
      const changed = await rebuild([node]);
      if (!changed.length) return;
      buildHash = hashOf(buildHash + id + Date.now());
      channel.broadcast({ type: 'update', hash: buildHash, changed: [{ id, hash: node.payload!.hash, kind: node.kind }], removed: [] });
    },
    openErrors() {
      return [...errors.values()].map((error) => ({ type: 'error', seq: channel.seq, error }) as ServerMessage);
    },
  };
}

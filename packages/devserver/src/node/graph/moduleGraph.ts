/**
 * The server's module graph: every module the browser has asked for, its current version,
 * and who imports whom. It answers "the graph below this entry" for page loads and "which
 * modules does this file feed" for updates. It does not decide HMR boundaries: tabs do,
 * from what they actually executed (architecture.md).
 */
import type { ModuleKind, ModulePayload } from '../../shared/protocol.js';
import type { DevServerError } from '../errors.js';

export interface ModuleNode {
  /** URL path from the root, with the query for `?raw`/`?url` variants. */
  id: string;
  /** Absolute file, or null for virtual and dependency modules. */
  file: string | null;
  kind: ModuleKind;
  /** Hash of the source this version was built from (no-op saves compare against it). */
  sourceHash: string | null;
  payload: ModulePayload | null;
  /** `payload` serialised once, reused by every response that carries this version. */
  payloadJson: string | null;
  /** For `<link>`-served stylesheets: the bundled CSS text. */
  cssText: string | null;
  /** Lazily composed source map input: the passes' maps (last pass first) and the original source. */
  mapInput: { maps: object[]; source: string } | null;
  error: DevServerError | null;
  /** Static imports, resolved ids. */
  imports: Set<string>;
  dynamicImports: Set<string>;
  importers: Set<string>;
  /** Files besides `file` whose change rebuilds this module (@import, plugin watch files). */
  watchFiles: Set<string>;
}

export class ModuleGraph {
  private readonly byId = new Map<string, ModuleNode>();
  private readonly byFile = new Map<string, Set<ModuleNode>>();
  /** Reverse edges by id, kept even before the imported module exists (crawls run in parallel). */
  private readonly importersOf = new Map<string, Set<string>>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): ModuleNode | undefined {
    return this.byId.get(id);
  }

  /** Modules built from `file` or watching it. */
  modulesOfFile(file: string): ModuleNode[] {
    return [...(this.byFile.get(file) ?? [])];
  }

  ensure(id: string, file: string | null, kind: ModuleKind): ModuleNode {
    let node = this.byId.get(id);
    if (!node) {
      node = {
        id,
        file,
        kind,
        sourceHash: null,
        payload: null,
        payloadJson: null,
        cssText: null,
        mapInput: null,
        error: null,
        imports: new Set(),
        dynamicImports: new Set(),
        importers: this.reverse(id),
        watchFiles: new Set(),
      };
      this.byId.set(id, node);
      if (file) this.index(file, node);
    }
    return node;
  }

  /** Replaces a module's imports and keeps the reverse edges consistent. */
  setImports(node: ModuleNode, imports: Iterable<string>, dynamicImports: Iterable<string>): void {
    for (const old of node.imports) this.reverse(old).delete(node.id);
    for (const old of node.dynamicImports) this.reverse(old).delete(node.id);
    node.imports = new Set(imports);
    node.dynamicImports = new Set(dynamicImports);
    for (const id of node.imports) this.reverse(id).add(node.id);
    for (const id of node.dynamicImports) this.reverse(id).add(node.id);
  }

  private reverse(id: string): Set<string> {
    let set = this.importersOf.get(id);
    if (!set) this.importersOf.set(id, (set = new Set()));
    return set;
  }

  setWatchFiles(node: ModuleNode, files: Iterable<string>): void {
    for (const file of node.watchFiles) this.byFile.get(file)?.delete(node);
    node.watchFiles = new Set(files);
    for (const file of node.watchFiles) this.index(file, node);
  }

  /** Forgets a module (its file was deleted). Importers keep their edge to report it. */
  remove(id: string): void {
    const node = this.byId.get(id);
    if (!node) return;
    this.byId.delete(id);
    if (node.file) this.byFile.get(node.file)?.delete(node);
    for (const file of node.watchFiles) this.byFile.get(file)?.delete(node);
    for (const imported of node.imports) this.reverse(imported).delete(id);
    for (const imported of node.dynamicImports) this.reverse(imported).delete(id);
    if (!node.importers.size) this.importersOf.delete(id);
  }

  /** Marks every module stale (pre-bundled dependency URLs changed): rebuilt on next request. */
  invalidateAll(): void {
    for (const node of this.byId.values()) {
      node.sourceHash = null;
      node.payload = null;
      node.payloadJson = null;
    }
  }

  /** The importers chain from `id` up to an entry (a module nobody imports), nearest first. */
  importerChain(id: string): string[] {
    const chain = [id];
    const seen = new Set(chain);
    let current = this.byId.get(id);
    while (current) {
      const next = [...current.importers].find((importer) => !seen.has(importer));
      if (!next) break;
      chain.push(next);
      seen.add(next);
      current = this.byId.get(next);
    }
    return chain;
  }

  private index(file: string, node: ModuleNode): void {
    let set = this.byFile.get(file);
    if (!set) this.byFile.set(file, (set = new Set()));
    set.add(node);
  }
}

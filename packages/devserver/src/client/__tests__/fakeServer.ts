/**
 * Test helper: a fake devserver built from ESM sources held in memory. Each module is
 * turned into a real `ModulePayload` the way the server does it (oxc-transform's
 * `moduleRunnerTransform`, wrapped as an async factory; deps/imports/exports/stars from
 * oxc-parser), and `fetchJson` answers the graph and modules endpoints from it. Editing a
 * file makes a new version and returns the update manifest entry.
 */
import { createHash } from 'node:crypto';
import { parseSync, Visitor } from 'oxc-parser';
import { moduleRunnerTransformSync } from 'oxc-transform';
import type { ChangedModule, GraphPayload, ModulePayload } from '../../shared/protocol.js';
import { GRAPH_PATH, MODULES_PATH } from '../../shared/constants.js';

/** Test modules: id -> source. Sources can call `log(...)` (a global the tests install). */
export type Files = Record<string, string>;

/** Payloads the tests add by hand (pre-bundled deps with `url`, odd cases). */
export type Extra = Record<string, Omit<ModulePayload, 'id' | 'hash'> & { hash?: string }>;

const BUILTINS = new Set(['/@devserver/css']);

function resolve(spec: string, from: string, aliases: Record<string, string>): string {
  if (aliases[spec]) return aliases[spec];
  if (BUILTINS.has(spec)) return spec;
  return new URL(spec, 'http://x' + from).pathname;
}

function hasTopLevelAwait(program: object): boolean {
  let found = false;
  let depth = 0;
  const enter = () => void depth++;
  const leave = () => void depth--;
  new Visitor({
    AwaitExpression: () => void (depth === 0 && (found = true)),
    ForOfStatement: (n: { await?: boolean }) => void (depth === 0 && n.await && (found = true)),
    FunctionDeclaration: enter,
    'FunctionDeclaration:exit': leave,
    FunctionExpression: enter,
    'FunctionExpression:exit': leave,
    ArrowFunctionExpression: enter,
    'ArrowFunctionExpression:exit': leave,
  } as ConstructorParameters<typeof Visitor>[0]).visit(program as never);
  return found;
}

/** One module's payload, as the lead's server would produce it. */
export function toPayload(id: string, source: string, aliases: Record<string, string> = {}): ModulePayload {
  const parsed = parseSync(id.replace(/\?.*$/, '') + (/\.[mc]?[jt]sx?$/.test(id) ? '' : '.js'), source);
  if (parsed.errors.length) throw new Error(`test source ${id}: ${parsed.errors[0].message}`);
  const mod = parsed.module;
  const deps: Record<string, string> = {};
  const imports = new Map<string, Set<string>>();
  const exports: string[] = [];
  const stars: string[] = [];
  const use = (spec: string) => {
    const target = resolve(spec, id, aliases);
    deps[spec] = target;
    if (!imports.has(target)) imports.set(target, new Set());
    return imports.get(target)!;
  };
  for (const imp of mod.staticImports) {
    const names = use(imp.moduleRequest.value);
    for (const e of imp.entries) {
      if (e.isType) continue;
      const k = e.importName.kind;
      names.add(k === 'Default' ? 'default' : k === 'NamespaceObject' ? '*' : e.importName.name!);
    }
  }
  for (const exp of mod.staticExports) {
    for (const e of exp.entries) {
      if (e.isType) continue;
      const req = e.moduleRequest?.value;
      const name = e.exportName.kind === 'Default' ? 'default' : e.exportName.name;
      if (req) {
        const names = use(req);
        if (e.importName.kind === 'AllButDefault') {
          stars.push(resolve(req, id, aliases));
          names.add('*');
          continue;
        }
        names.add(e.importName.kind === 'All' ? '*' : e.importName.name!);
      }
      if (name && !exports.includes(name)) exports.push(name);
    }
  }
  const out = moduleRunnerTransformSync(id, source, {});
  if (out.errors.length) throw new Error(`transform ${id}: ${out.errors[0].message}`);
  const dynamicDeps: Record<string, string> = {};
  for (const spec of out.dynamicDeps) dynamicDeps[spec] = resolve(spec, id, aliases);
  const code =
    '(async function (__vite_ssr_exports__, __vite_ssr_import_meta__, __vite_ssr_import__, ' +
    `__vite_ssr_dynamic_import__, __vite_ssr_exportAll__) {\n${out.code}\n})\n//# sourceURL=${id}`;
  return {
    id,
    hash: createHash('sha256').update(source).digest('hex').slice(0, 8),
    deps,
    dynamicDeps,
    imports: [...imports].map(([target, names]) => ({ id: target, names: [...names] })),
    exports,
    stars,
    tla: hasTopLevelAwait(parsed.program),
    code,
  };
}

export interface FakeServer {
  fetchJson(url: string): Promise<GraphPayload>;
  /** Every URL fetched, in order. */
  readonly requests: string[];
  /** Replaces (or adds) files; returns the manifest entries. */
  edit(files: Files, kind?: ChangedModule['kind']): ChangedModule[];
  payload(id: string): ModulePayload | undefined;
  /** Makes the next fetches fail (network error) until cleared. */
  failFetches: boolean;
}

export function createFakeServer(files: Files, extra: Extra = {}, aliases: Record<string, string> = {}): FakeServer {
  const payloads = new Map<string, ModulePayload>();
  const set = (id: string, source: string) => payloads.set(id, toPayload(id, source, aliases));
  for (const [id, source] of Object.entries(files)) set(id, source);
  for (const [id, p] of Object.entries(extra)) payloads.set(id, { hash: 'x', ...p, id });

  const graph = (entry: string): ModulePayload[] => {
    const seen = new Set<string>();
    const out: ModulePayload[] = [];
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const p = payloads.get(id);
      if (!p) return;
      out.push(p);
      for (const dep of Object.values(p.deps)) visit(dep);
    };
    visit(entry);
    return out;
  };

  const server: FakeServer = {
    requests: [],
    failFetches: false,
    async fetchJson(url) {
      server.requests.push(url);
      await Promise.resolve();
      if (server.failFetches) throw new TypeError('Failed to fetch');
      const u = new URL(url, 'http://x');
      if (u.pathname === GRAPH_PATH) {
        const entry = u.searchParams.get('entry')!;
        if (!payloads.has(entry)) {
          return { modules: [], errors: [{ message: `Cannot find module ${entry}`, code: 'ERR_NOT_FOUND', id: entry }] };
        }
        return { modules: graph(entry), errors: [] };
      }
      if (u.pathname === MODULES_PATH) {
        const ids = u.searchParams.get('ids')!.split(',').map(decodeURIComponent);
        return { modules: ids.map((id) => payloads.get(id)!).filter(Boolean), errors: [] };
      }
      throw new Error(`unexpected fetch ${url}`);
    },
    edit(edited, kind = 'js') {
      return Object.entries(edited).map(([id, source]) => {
        if (/\.[mc]?[jt]sx?$/.test(id)) {
          set(id, source);
          return { id, hash: payloads.get(id)!.hash, kind };
        }
        // a page or an asset: no module, just a new version
        return { id, hash: createHash('sha256').update(source).digest('hex').slice(0, 8), kind };
      });
    },
    payload: (id) => payloads.get(id),
  };
  return server;
}

/**
 * The registry endpoints: a whole graph below an entry in one response (page loads,
 * lazy `import()` chunks), single modules by id (updates), and source maps on demand.
 * Everything is answered from the in-memory graph; a module that failed to build is
 * reported in `errors` with its importer chain and the response is a 500.
 */
import { GRAPH_PATH, MODULES_PATH } from '../../shared/constants.js';
import type { ErrorPayload } from '../../shared/protocol.js';
import { toErrorPayload } from '../errors.js';
import type { ModuleGraph, ModuleNode } from '../graph/moduleGraph.js';
import type { ModuleLoader } from '../graph/moduleLoader.js';
import { isReadableByRequester } from '../security/origin.js';
import { composeMap, shiftMapOneLine } from '../transform/scriptTransform.js';
import type { Middleware } from './compose.js';
import { send, sendText, splitUrl } from './respond.js';

const SOURCEMAP_PATH = `${MODULES_PATH}/sourcemap`;
const MAX_IDS = 2000;
// Ids come decoded from the query, past the request-target check: refuse what it refuses in
// paths. `#` above all: plugins read `cleanUrl(id)`, so `/.env#.js` would pass the gate as
// one (missing, not denied) file and be read as `.env`.
const BAD_ID = /[\x00-\x1f\x7f\\#]/;

export function graphMiddleware(graph: ModuleGraph, loader: ModuleLoader): Middleware {
  function errorOf(node: ModuleNode): ErrorPayload {
    return { ...toErrorPayload(node.error), importerChain: graph.importerChain(node.id) };
  }

  function answer(req: Parameters<Middleware>[0], res: Parameters<Middleware>[1], nodes: ModuleNode[]): void {
    const parts: string[] = [];
    const errors: ErrorPayload[] = [];
    for (const node of nodes) {
      if (node.error) errors.push(errorOf(node));
      else if (node.payloadJson) parts.push(node.payloadJson);
    }
    const body = `{"modules":[${parts.join(',')}],"errors":${JSON.stringify(errors)}}`;
    send(req, res, body, { type: 'application/json; charset=utf-8', status: errors.length ? 500 : undefined });
  }

  return async function serveGraph(req, res, next) {
    const { pathname, search } = splitUrl(req.url);
    if (pathname !== GRAPH_PATH && pathname !== MODULES_PATH && pathname !== SOURCEMAP_PATH) return next();
    // Before any build: another site's page must not make us build and keep modules it
    // cannot read (source maps build nothing, and devtools fetches them its own way).
    if (pathname !== SOURCEMAP_PATH && !isReadableByRequester(req, res.hasHeader('Access-Control-Allow-Origin'))) {
      return sendText(res, 403, 'devserver: the registry endpoints answer pages of this server only (see server.cors)');
    }
    const params = new URLSearchParams(search);
    if (pathname === GRAPH_PATH) {
      const entry = params.get('entry');
      if (!entry?.startsWith('/') || BAD_ID.test(entry)) return sendText(res, 400, 'graph: expected ?entry=/path/of/module (no #, \\ or control characters)');
      answer(req, res, await loader.crawl([entry]));
      return;
    }
    if (pathname === MODULES_PATH) {
      const ids = (params.get('ids') ?? '').split(',').filter((id) => id.startsWith('/'));
      if (!ids.length || ids.length > MAX_IDS || ids.some((id) => BAD_ID.test(id))) {
        return sendText(res, 400, 'modules: expected ?ids=/a.ts,/b.ts (no #, \\ or control characters)');
      }
      answer(req, res, await Promise.all(ids.map((id) => loader.load(id))));
      return;
    }
    const node = graph.get(params.get('id') ?? '');
    if (!node?.mapInput) return sendText(res, 404, 'no source map for this module');
    const map = shiftMapOneLine(composeMap(node.mapInput.maps, node.id, node.mapInput.source) as { mappings: string });
    send(req, res, JSON.stringify(map), { type: 'application/json; charset=utf-8' });
  };
}

/**
 * POST /@devserver/stack: the page sends an error's stack, gets it back with each frame of
 * a served module mapped to the original file, line and column. The runtime's factories
 * are named `/src/a.ts?v=<hash>` (their sourceURL); the maps are in the graph. Same-origin
 * only, small bodies only: it reads no files, but it is not for other sites to probe.
 */
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { STACK_PATH } from '../../shared/constants.js';
import type { ModuleGraph } from '../graph/moduleGraph.js';
import { isSameOriginRequest } from '../security/origin.js';
import { composeMap, shiftMapOneLine } from '../transform/scriptTransform.js';
import type { Middleware } from './compose.js';
import { sendText, splitUrl } from './respond.js';

const MAX_STACK_BYTES = 32 * 1024;
// `/src/a.ts?v=abc:12:5`, with or without the origin in front.
const FRAME = /((?:https?:\/\/[^/\s()]+)?(\/[^\s()?]+)\?v=[\w-]+):(\d+):(\d+)/g;

export function mapStack(stack: string, graph: ModuleGraph): string {
  const maps = new Map<string, TraceMap | null>();
  return stack.replace(FRAME, (frame, _url: string, id: string, line: string, column: string) => {
    if (!maps.has(id)) {
      const input = graph.get(id)?.mapInput;
      maps.set(id, input ? new TraceMap(shiftMapOneLine(composeMap(input.maps, id, input.source) as { mappings: string; version: number }) as never) : null);
    }
    const map = maps.get(id);
    if (!map) return frame;
    const original = originalPositionFor(map, { line: Number(line), column: Number(column) - 1 });
    return original.line === null ? frame : `${id}:${original.line}:${original.column + 1}`;
  });
}

export function stackMiddleware(graph: ModuleGraph): Middleware {
  return function mapStackTrace(req, res, next) {
    if (splitUrl(req.url).pathname !== STACK_PATH) return next();
    if (req.method !== 'POST') return sendText(res, 405, 'POST a stack trace');
    if (!isSameOriginRequest(req)) return sendText(res, 403, 'same-origin requests only');
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_STACK_BYTES) {
        sendText(res, 413, 'stack too large');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      sendText(res, 200, mapStack(Buffer.concat(chunks).toString('utf8'), graph));
    });
  };
}

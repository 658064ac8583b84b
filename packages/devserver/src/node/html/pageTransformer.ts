/**
 * The HTML a page gets: the runtime's boot config (token, build id, sequence number, env),
 * plugins' transformIndexHtml hooks around devserver's own rewrite (`enforce: 'pre'` hooks
 * see the page as written, the others see it after the rewrite, as in Vite), entry scripts
 * resolved to module ids, and inline module scripts kept as in-memory modules.
 */
import path from 'node:path';
import { HMR_PATH, HMR_SUBPROTOCOL } from '../../shared/constants.js';
import type { ResolvedConfig } from '../config/types.js';
import type { ModuleGraph } from '../graph/moduleGraph.js';
import type { ModuleLoader } from '../graph/moduleLoader.js';
import type { Resolver } from '../resolve/resolver.js';
import type { DevServer } from '../server.js';
import { applyHtmlPlugins } from './htmlPlugins.js';
import { transformIndexHtml as rewriteHtml } from './indexHtml.js';

export interface PageTransformerOptions {
  config: ResolvedConfig;
  token: string;
  buildId: string;
  /** The last update sequence number sent: the page reflects everything up to it. */
  seq(): number;
  resolver: Resolver;
  graph: ModuleGraph;
  loader: ModuleLoader;
  /** Inline module scripts by module id, shared with the loader (its memory source). */
  inlineScripts: Map<string, string>;
  server(): DevServer;
}

export function createPageTransformer(options: PageTransformerOptions): (url: string, html: string) => Promise<string> {
  const { config, resolver, graph, loader, inlineScripts } = options;
  const root = config.root;
  return async function transformIndexHtml(url, html) {
    const pagePath = url.split('?')[0].endsWith('/') ? url.split('?')[0] + 'index.html' : url.split('?')[0];
    const boot = {
      seq: options.seq(),
      token: options.token,
      buildId: options.buildId,
      base: config.base,
      env: config.env,
      overlay: config.server.overlay,
      wsPath: config.base + HMR_PATH.slice(1),
      subprotocol: HMR_SUBPROTOCOL,
      page: pagePath,
    };
    const pageFile = path.join(root, pagePath);
    // `enforce: 'pre'` hooks see the page as written; the others see it after the rewrite, so
    // what they inject is served as is (Vite's order; see `transformIndexHtml` in plugins/types.ts).
    const htmlContext = { path: pagePath, filename: pageFile, server: options.server() };
    const withPlugins = await applyHtmlPlugins(html, config.plugins.filter((p) => p.enforce === 'pre'), htmlContext);
    const result = rewriteHtml(withPlugins, pagePath, boot, (written) => {
      const src = config.base !== '/' && written.startsWith(config.base) ? written.slice(config.base.length - 1) : written;
      const resolved = resolver.resolve(src.startsWith('/') || src.startsWith('.') ? src : './' + src, pageFile);
      return resolved.type === 'file' ? resolved.id : src;
    });
    for (const [id, source] of result.inlineScripts) {
      if (inlineScripts.get(id) !== source) {
        inlineScripts.set(id, source);
        const node = graph.get(id);
        if (node) await loader.rebuild(node);
      }
    }
    return applyHtmlPlugins(result.html, config.plugins.filter((p) => p.enforce !== 'pre'), htmlContext);
  };
}

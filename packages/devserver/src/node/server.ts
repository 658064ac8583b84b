/**
 * createServer(): builds one devserver instance and wires its pieces in the one direction
 * data flows (watcher -> graph -> hmr -> client). Lifecycle is explicit: create, listen,
 * close. Nothing here is module-level state, so several servers can run in one process.
 *
 * The request chain, in order (each entry says why it is where it is):
 *  1. request-target check: malformed targets (`\`, `#`, NUL, bad %-encoding) get 400 first
 *  2. host check: DNS-rebinding defence, before anything can be read
 *  3. security headers: CORP on every response, CORS only when configured
 *  4. plugin middlewares (configureServer)
 *  5. the runtime, 6. registry endpoints (graph, modules, source maps), 7. dependencies
 *  8. HTML pages (SPA fallback unless in middleware mode), 9. public dir, CSS, assets
 *  10. plugin post middlewares; then 404 standalone, or next() back to the host app.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { HMR_SUBPROTOCOL } from '../shared/constants.js';
import { resolveConfig } from './config/resolveConfig.js';
import type { ResolvedConfig, UserConfig } from './config/types.js';
import { createDepOptimizer } from './deps/depOptimizer.js';
import { ModuleGraph } from './graph/moduleGraph.js';
import { createModuleLoader, type ModuleLoader } from './graph/moduleLoader.js';
import { hashOf } from './graph/contentHash.js';
import { createHmrEngine, type HmrEngine } from './hmr/hmrEngine.js';
import { createHotChannel, type HotChannel } from './hmr/hotChannel.js';
import { createBackend, type Backend } from './backend/createBackend.js';
import { clientMiddleware } from './middlewares/clientMiddleware.js';
import { CHAIN_DONE, createMiddlewareChain, type MiddlewareChain } from './middlewares/compose.js';
import { depsMiddleware } from './middlewares/depsMiddleware.js';
import { graphMiddleware } from './middlewares/graphMiddleware.js';
import { htmlMiddleware } from './middlewares/htmlMiddleware.js';
import { openInEditorMiddleware } from './middlewares/openInEditorMiddleware.js';
import { staticMiddleware } from './middlewares/staticMiddleware.js';
import { sendText } from './middlewares/respond.js';
import { createDevProxy } from './middlewares/proxyMiddleware.js';
import { baseMiddleware } from './middlewares/baseMiddleware.js';
import { stackMiddleware } from './middlewares/stackMiddleware.js';
import { createPluginContainer } from './plugins/pluginContainer.js';
import { createResolver } from './resolve/resolver.js';
import { checkRequestTarget } from './security/requestTarget.js';
import { createHostCheck, createHostCheckMiddleware } from './security/hostCheck.js';
import { createSecurityHeaders } from './security/headers.js';
import { createOriginAllowList } from './security/origin.js';
import { createFileGate } from './security/fileGate.js';
import { createToken, createUpgradeCheck, rejectUpgrade } from './security/wsAuth.js';
import { createChangeCoalescer } from './watch/changeCoalescer.js';
import { createFileWatcher, type FileWatcher } from './watch/fileWatcher.js';
import { listenWithFallback, noIndexHtml, resolveUrls, type ResolvedUrls } from './listen.js';
import { restartServer } from './serverRestart.js';
import { createPageTransformer } from './html/pageTransformer.js';
import { isSocketNoise } from './socketNoise.js';
import fs from 'node:fs';

export interface DevServer {
  config: ResolvedConfig;
  /** Connect-style middleware: use it standalone or with `app.use(server.middlewares)`. */
  middlewares: MiddlewareChain;
  /** The HTTP server (yours in middleware mode, devserver's own otherwise). */
  httpServer: http.Server | https.Server | null;
  /** HMR channel for plugins: `hot.send(event, data)`, `hot.on(event, (data, client) => …)`. */
  hot: Pick<HotChannel, 'send' | 'on' | 'off' | 'clients'>;
  moduleGraph: ModuleGraph;
  /** URLs the server answers on, once listening. */
  resolvedUrls: ResolvedUrls | null;
  listen(port?: number): Promise<DevServer>;
  close(): Promise<void>;
  /** The HTML a page gets (runtime injected, entries rewritten, plugin transforms applied). */
  transformIndexHtml(url: string, html: string): Promise<string>;
  /** Rebuilds a module and sends the update, as if its file had changed. */
  reloadModule(id: string): Promise<void>;
  /** Resolves when pending file changes have been turned into updates (for tests). */
  waitForIdle(): Promise<void>;
  /**
   * Re-reads the config and replaces this server's internals on the same port (done by
   * itself when the config file or a .env file changes). If the new config fails, the
   * error is printed and the running server keeps serving.
   */
  restart(): Promise<void>;
  /** The Node backend run beside the app (`backend` in the config), null without one. */
  backend: Backend | null;
}

const CONFIG_NAMES = ['devserver.config.ts', 'devserver.config.mts', 'devserver.config.js', 'devserver.config.mjs'];

export type CreateServerOptions = UserConfig & { cliOverrides?: UserConfig };

/**
 * Creates a dev server.
 * @example
 * const server = await createServer({ root: 'playground/vanilla', server: { port: 0 } });
 * await server.listen();
 * console.log(server.resolvedUrls?.local[0]);
 * await server.close();
 */
export function createServer(options: CreateServerOptions = {}): Promise<DevServer> {
  return createServerWithToken(options, createToken());
}

/**
 * createServer with a given websocket token. A restart in place keeps the token: the tabs
 * of the previous instance must be able to reconnect, see the new build id and reload
 * (with a new token they would be refused with 401 and never resync).
 */
async function createServerWithToken(options: CreateServerOptions, token: string): Promise<DevServer> {
  const { cliOverrides, ...inline } = options;
  const config = await resolveConfig(inline, cliOverrides);
  const { logger, root } = config;
  const buildId = hashOf(`${root}${process.pid}${Date.now()}${Math.random()}`);

  const gate = createFileGate({ allow: config.server.fs.allow, deny: config.server.fs.deny });
  const graph = new ModuleGraph();
  const resolver = createResolver({ root, alias: config.alias });
  const plugins = createPluginContainer(config.plugins, logger);
  await plugins.buildStart();
  const deps = createDepOptimizer({
    root,
    cacheDir: config.cacheDir,
    logger,
    force: config.optimizeDeps.force,
    define: config.define,
    include: config.optimizeDeps.include,
    exclude: config.optimizeDeps.exclude,
  });
  const inlineScripts = new Map<string, string>();
  const refreshPlugins = config.plugins.filter((p) => p.jsxRefresh);
  const loader: ModuleLoader = createModuleLoader({
    graph,
    resolver,
    plugins,
    deps,
    gate,
    define: config.define,
    memorySource: (id) => inlineScripts.get(id),
    base: config.base,
    jsxRefresh: refreshPlugins.length ? (id) => refreshPlugins.some((p) => p.jsxRefresh!(id)) : undefined,
    watchOutsideRoot: (file) => watcher.add(file),
  });

  const hostCheck = createHostCheck({ allowedHosts: config.server.allowedHosts ?? [] });
  const corsOrigins = createOriginAllowList(config.server.cors ?? false);
  let engine: HmrEngine;
  let backend: Backend | null = null;
  const channel = createHotChannel({
    buildId,
    logger,
    checkUpgrade: createUpgradeCheck({
      token,
      subprotocol: HMR_SUBPROTOCOL,
      hostCheck,
      allowedOrigins: (origin) => corsOrigins(origin),
    }),
    onConnect: () => [...engine.openErrors(), ...(backend?.openErrors() ?? [])],
    base: config.base,
  });

  const transformIndexHtml = createPageTransformer({
    config,
    token,
    buildId,
    seq: () => channel.seq,
    resolver,
    graph,
    loader,
    inlineScripts,
    server: () => server,
  });

  const middlewares = createMiddlewareChain();
  const server: DevServer = {
    config,
    middlewares,
    httpServer: null,
    hot: channel,
    moduleGraph: graph,
    resolvedUrls: null,
    listen,
    close,
    transformIndexHtml,
    reloadModule: (id) => engine.reloadModule(id),
    waitForIdle: () => coalescer.idle(),
    restart: () => restartServer(server, () => createServerWithToken(options, token)),
    backend: null,
  };

  engine = createHmrEngine({
    root,
    publicDir: config.publicDir,
    graph,
    loader,
    channel,
    logger,
    plugins: config.plugins,
    hmrContext: (file, modules) => ({
      file,
      timestamp: Date.now(),
      modules: modules.map((m) => ({ id: m.id })),
      read: () => import('node:fs/promises').then((fs) => fs.readFile(file, 'utf8')),
      server,
    }),
  });
  const coalescer = createChangeCoalescer({
    onChangeSet: async (changes) => {
      // The backend takes the files it is built from; the frontend gets the rest.
      const frontend = backend?.routeChanges(changes, (file) => graph.modulesOfFile(file).length > 0) ?? changes;
      if (frontend.length) await engine.handleChangeSet(frontend);
    },
    onError: (error) => logger.error(`update failed: ${error instanceof Error ? error.stack : String(error)}`),
  });
  deps.onInvalidated((reason) => {
    graph.invalidateAll();
    channel.broadcast({ type: 'full-reload', reason });
  });
  const watcher: FileWatcher = createFileWatcher({
    roots: [root],
    cacheDir: config.cacheDir,
    logger,
    usePolling: config.server.watch?.usePolling,
    interval: config.server.watch?.interval,
    ignored: config.server.watch?.ignored,
    onEvent: (file, kind) => {
      if (configFiles.has(file)) {
        logger.info(`${path.relative(root, file)} changed, restarting the server`);
        void server.restart();
        return;
      }
      coalescer.push(file, kind);
    },
  });
  // Creating a config file where there was none counts as a config change too.
  const candidates = options.configFile === false ? [] : CONFIG_NAMES.map((name) => path.join(root, name));
  const configFiles = new Set([...config.configDependencies, ...candidates].map((file) => path.resolve(file)));
  watcher.add(config.configDependencies.filter((file) => !file.startsWith(root + path.sep)));
  if (config.backend) backend = server.backend = await createBackend({ backend: config.backend, root, cacheDir: config.cacheDir, logger, hot: channel, watch: (files) => watcher.add(files) });

  // The chain (see the header comment for why this order).
  middlewares.use(function closedPassThrough(req, res, next) {
    // Embedded in an app, the chain stays mounted after close(): step aside for the app.
    if (closing) return next(CHAIN_DONE);
    next();
  });
  middlewares.use(function requestTarget(req, res, next) {
    const verdict = checkRequestTarget(req.url ?? '');
    if (!verdict.ok) return sendText(res, 400, `Bad request: ${verdict.reason}`);
    next();
  });
  middlewares.use(createHostCheckMiddleware(hostCheck));
  middlewares.use(createSecurityHeaders({ cors: config.server.cors ?? false }));
  const proxy = config.server.proxy || backend ? await createDevProxy({ ...backend?.proxyRules, ...config.server.proxy }, logger) : null;
  if (proxy) middlewares.use(proxy.middleware);
  if (config.base !== '/') middlewares.use(baseMiddleware(config.base, config.middlewareMode));
  const postHooks: Array<() => unknown> = [];
  for (const plugin of config.plugins) {
    const post = await plugin.configureServer?.(server);
    if (typeof post === 'function') postHooks.push(post);
  }
  middlewares.use(clientMiddleware());
  middlewares.use(openInEditorMiddleware({ root, gate, logger }));
  middlewares.use(stackMiddleware(graph));
  middlewares.use(graphMiddleware(graph, loader));
  middlewares.use(depsMiddleware(deps));
  middlewares.use(
    htmlMiddleware({ root, gate, spaFallback: !config.middlewareMode, transform: (page, html) => transformIndexHtml(page, html) }),
  );
  middlewares.use(staticMiddleware({ root, publicDir: config.publicDir, gate, loader }));
  for (const post of postHooks) await post();

  // Only HMR and proxied upgrades are devserver's; others (an Express app's own websocket
  // routes) are left to the other 'upgrade' listeners of the same http server.
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (closing) return;
    if (channel.handleUpgrade(req, socket, head)) return;
    if (proxy && hostCheck(req.headers.host) === 'ok' && proxy.handleUpgrade(req, socket, head)) return;
    // On devserver's own server nobody else will answer: an unanswered upgrade would hold
    // its socket (paused, so it never sees the client leave) until the process exits.
    if (!config.httpServer) rejectUpgrade(socket, 404, 'no websocket at this path');
  };

  let httpServer: http.Server | https.Server | null = config.httpServer ?? null;
  if (httpServer) httpServer.on('upgrade', onUpgrade);
  server.httpServer = httpServer;

  function handleStandalone(req: IncomingMessage, res: ServerResponse) {
    middlewares(req, res, (error?: unknown) => {
      if (error) {
        logger.error(`request ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) sendText(res, 500, 'devserver: internal error, see the terminal');
        else res.destroy();
        return;
      }
      const { pathname } = new URL(req.url ?? '/', 'http://x');
      if (pathname === '/' && !fs.existsSync(path.join(root, 'index.html'))) {
        const error = noIndexHtml(root);
        return sendText(res, 404, `${error.message}\nhint: ${error.details.hint}`);
      }
      sendText(res, 404, `Not found: ${req.url}`);
    });
  }

  async function listen(port?: number): Promise<DevServer> {
    if (config.middlewareMode) throw new Error('listen() is not available in middleware mode: the host app listens');
    if (!httpServer) {
      httpServer = config.server.https ? https.createServer(config.server.https, handleStandalone) : http.createServer(handleStandalone);
      httpServer.on('upgrade', onUpgrade);
      httpServer.on('clientError', (error, socket) => {
        if (!isSocketNoise(error)) logger.debug(`client error: ${error.message}`);
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        else socket.destroy();
      });
      server.httpServer = httpServer;
    }
    const address = await listenWithFallback(httpServer, {
      port: port ?? config.server.port,
      host: config.server.host,
      strictPort: config.server.strictPort,
      logger,
    });
    server.resolvedUrls = resolveUrls(address, config.server.host, Boolean(config.server.https), config.base);
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      const error = noIndexHtml(root);
      logger.warn(`warning: ${error.message}\n  hint: ${error.details.hint}`);
    }
    await watcher.ready;
    return server;
  }

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      coalescer.dispose();
      if (config.httpServer) config.httpServer.off('upgrade', onUpgrade);
      proxy?.close();
      await Promise.allSettled([watcher.close(), channel.close(), deps.close(), backend?.close()]);
      if (httpServer && !config.httpServer && httpServer.listening) {
        const done = new Promise<void>((resolve) => httpServer!.close(() => resolve()));
        httpServer.closeAllConnections();
        await done;
      }
      for (const plugin of config.plugins) await plugin.closeBundle?.();
    })();
    return closing;
  }

  return server;
}

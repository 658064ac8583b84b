// An Express app with devserver embedded on the same port: the app's own API and
// websocket routes, then devserver's middlewares (pages, modules, HMR), then the app's 404
// and error handler. `node server.mjs` serves it at http://localhost:3000/.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { WebSocketServer } from 'ws';
import { createServer } from 'devserver';

/** Starts the app; returns what a test needs to drive and stop it. */
export async function startApp({ root = fileURLToPath(new URL('.', import.meta.url)), port = 3000, host = 'localhost', devserverOptions = {} } = {}) {
  const app = express();
  const httpServer = http.createServer(app);
  const devserver = await createServer({ root, middlewareMode: true, httpServer, ...devserverOptions });

  app.get('/api/hello', (req, res) => res.json({ hi: 1, from: 'express' }));

  // An app that renders its own HTML shell: devserver injects its runtime and entries.
  app.get('/shell', async (req, res, next) => {
    try {
      const html = `<!doctype html><html><head><title>shell</title><link rel="icon" href="data:,"></head><body><p>Message: <span id="message"></span></p><p>API: <span id="api"></span></p><p>App websocket: <span id="ws"></span></p><script type="module" src="/src/main.ts"></script></body></html>`;
      res.type('html').send(await devserver.transformIndexHtml(req.originalUrl, html));
    } catch (error) {
      next(error);
    }
  });

  // The app's own websocket route: devserver must leave this upgrade alone.
  const echo = new WebSocketServer({ noServer: true });
  httpServer.on('upgrade', (req, socket, head) => {
    if (req.url === '/app-ws') echo.handleUpgrade(req, socket, head, (ws) => ws.on('message', (m) => ws.send(`echo:${m}`)));
  });

  app.use(devserver.middlewares);
  app.use((req, res) => res.status(404).type('text').send(`express 404: ${req.path}`));
  app.use((error, req, res, next) => res.status(500).type('text').send(`express error: ${error.message}`));

  await new Promise((resolve) => httpServer.listen(port, host, resolve));
  const { port: actual } = httpServer.address();
  return {
    url: `http://${host}:${actual}/`,
    httpServer,
    devserver,
    async close() {
      await devserver.close();
      echo.close();
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startApp();
  console.log(`express + devserver at ${url}`);
}

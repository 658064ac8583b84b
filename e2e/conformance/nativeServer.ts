/**
 * The baseline half of the conformance tests: a minimal static file server, so Chromium
 * loads a case's modules natively (one request per module, no transform). It serves files
 * under one root with the MIME types module scripts need, `dir/` as `dir/index.html`, and
 * 404 for anything missing or outside the root; nothing is cached.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface NativeServer {
  /** e.g. `http://127.0.0.1:40123/` */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` on 127.0.0.1 (a free port).
 * @example
 * const server = await startNativeServer('/tmp/cases');
 * await page.goto(`${server.url}live-bindings/`);
 * await server.close();
 */
export async function startNativeServer(root: string): Promise<NativeServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      let file: string;
      try {
        const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        file = path.join(root, pathname.endsWith('/') ? pathname + 'index.html' : pathname);
      } catch {
        file = '';
      }
      const inside = file.startsWith(root + path.sep);
      const info = inside ? await stat(file).catch(() => null) : null;
      if (!info?.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      createReadStream(file).pipe(res);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

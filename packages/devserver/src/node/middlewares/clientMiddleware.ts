/** Serves the browser runtime, built separately into dist/client (see scripts/build.mjs). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_PATH } from '../../shared/constants.js';
import type { Middleware } from './compose.js';
import { send, splitUrl } from './respond.js';

/** The devserver package folder, whether running from dist/ or from src/ (tests). */
export function packageDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

export function clientMiddleware(): Middleware {
  const file = path.join(packageDir(), 'dist/client/client.js');
  let code: string | null = null;
  return function serveClient(req, res, next) {
    if (splitUrl(req.url).pathname !== CLIENT_PATH) return next();
    code ??= fs.readFileSync(file, 'utf8');
    send(req, res, code, { type: 'text/javascript; charset=utf-8' });
  };
}

// The backend runs beside the page: server/index.ts is built with esbuild, run as a child
// process, restarted without dropping a request when its files change, and `/api` is
// proxied to it. From the repo root: `node packages/devserver/bin/devserver.js playground/fullstack`
// (or, without this file: `devserver playground/fullstack --backend server/index.ts`).
export default {
  backend: { entry: 'server/index.ts' },
};

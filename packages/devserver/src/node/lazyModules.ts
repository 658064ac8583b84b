/**
 * Heavy dependencies loaded on first use: esbuild (CSS, config files, pre-bundling), the
 * oxc parser (only for modules that need a full parse) and the proxy. Together they are
 * about half of devserver's import time, which a user waits for on every start.
 */
type Esbuild = typeof import('esbuild');
type OxcParser = typeof import('oxc-parser');
type HttpProxy = { createProxyServer: typeof import('http-proxy-3').createProxyServer };

let esbuild: Promise<Esbuild> | undefined;
let oxcParser: Promise<OxcParser> | undefined;
let httpProxy: Promise<HttpProxy> | undefined;

export const loadEsbuild = (): Promise<Esbuild> => (esbuild ??= import('esbuild'));
export const loadOxcParser = (): Promise<OxcParser> => (oxcParser ??= import('oxc-parser'));
export const loadHttpProxy = (): Promise<HttpProxy> =>
  (httpProxy ??= import('http-proxy-3').then((m) => ({ createProxyServer: m.createProxyServer })));

/**
 * `server.proxy`: paths forwarded to other servers (an API in development), on
 * http-proxy-3, a maintained fork of http-proxy. A key is a path prefix (`/api`) or, when
 * it starts with `^`, a regular expression. Websocket upgrades are forwarded for rules with
 * `ws: true`; the HMR socket is never proxied. An unreachable target answers 502 naming it.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ProxyServer } from 'http-proxy-3';
import { loadHttpProxy } from '../lazyModules.js';
import { HMR_PATH } from '../../shared/constants.js';
import type { ProxyOptions } from '../config/types.js';
import { errnoCode } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Middleware } from './compose.js';
import { sendText } from './respond.js';

export interface DevProxy {
  middleware: Middleware;
  /** Forwards a websocket upgrade if a `ws: true` rule matches; false when none does. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

interface Rule {
  matches: (url: string) => boolean;
  options: ProxyOptions;
  proxy: ProxyServer;
}

export async function createDevProxy(config: Record<string, string | ProxyOptions>, logger: Logger): Promise<DevProxy> {
  const { createProxyServer } = await loadHttpProxy();
  const rules: Rule[] = Object.entries(config).map(([key, value]) => {
    const options = typeof value === 'string' ? { target: value } : value;
    const pattern = key.startsWith('^') ? new RegExp(key) : null;
    const proxy = createProxyServer({ target: options.target, changeOrigin: options.changeOrigin ?? false, ws: options.ws ?? false });
    return { matches: (url) => (pattern ? pattern.test(url) : url === key || url.startsWith(key.endsWith('/') ? key : key + '/') || url.startsWith(key + '?')), options, proxy };
  });

  function failure(rule: Rule, error: unknown): string {
    const code = errnoCode(error) ?? (error instanceof Error ? error.message : String(error));
    return `devserver proxy: ${rule.options.target} did not answer (${code})`;
  }

  return {
    middleware: function proxyRequests(req, res, next) {
      const url = req.url ?? '/';
      const rule = rules.find((r) => r.matches(url));
      if (!rule) return next();
      if (rule.options.rewrite) req.url = rule.options.rewrite(url);
      rule.proxy.web(req, res, {}, (error: Error) => {
        const message = failure(rule, error);
        logger.warn(message);
        if (!res.headersSent) sendText(res, 502, message);
        else res.destroy();
      });
    },
    handleUpgrade(req, socket, head) {
      const url = req.url ?? '/';
      if (url.split('?')[0] === HMR_PATH) return false;
      const rule = rules.find((r) => r.options.ws && r.matches(url));
      if (!rule) return false;
      if (rule.options.rewrite) req.url = rule.options.rewrite(url);
      rule.proxy.ws(req, socket, head, {}, (error: Error) => {
        logger.warn(failure(rule, error));
        socket.destroy();
      });
      return true;
    },
    close() {
      for (const rule of rules) rule.proxy.close();
    },
  };
}

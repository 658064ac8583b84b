/**
 * HTML pages as the browser receives them: the runtime is started first, every
 * `<script type="module" src>` becomes a registry load of that entry's whole graph, and
 * inline module scripts become in-memory modules (`/index.html?inline=0`) so they take part
 * in the graph and in HMR like any file.
 */
import { CLIENT_PATH } from '../../shared/constants.js';
import type { ClientConfig } from '../../shared/protocol.js';

/** The runtime's boot config, as embedded in the page. */
export type ClientBootConfig = ClientConfig;

export interface TransformedHtml {
  html: string;
  /** Entry module ids in document order. */
  entries: string[];
  /** In-memory sources of inline module scripts, by module id. */
  inlineScripts: Map<string, string>;
}

// Scripts are found with a tokenizer-free scan: comments are blanked first so that a
// commented-out script is not loaded, then each <script> element is matched whole.
const COMMENT = /<!--[\s\S]*?-->/g;
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const ATTR = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

function attributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(ATTR)) out.set(m[1].toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

/** JSON safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * @param pagePath URL path of the HTML file, e.g. `/index.html`
 * @param resolveEntry maps a script src (as written) to a module id
 */
export function transformIndexHtml(
  html: string,
  pagePath: string,
  boot: ClientBootConfig,
  resolveEntry: (src: string) => string,
): TransformedHtml {
  const clientPath = boot.base + CLIENT_PATH.slice(1);
  const entries: string[] = [];
  const inlineScripts = new Map<string, string>();
  const blanked = html.replace(COMMENT, (c) => ' '.repeat(c.length));
  let out = '';
  let last = 0;
  let inlineIndex = 0;
  for (const m of blanked.matchAll(SCRIPT)) {
    const attrs = attributes(m[1]);
    if (attrs.get('type') !== 'module') continue;
    const start = m.index!;
    let id: string;
    if (attrs.has('src')) {
      const src = attrs.get('src')!;
      if (/^(https?:)?\/\//.test(src)) continue;
      id = resolveEntry(src);
    } else {
      id = `${pagePath}?inline=${inlineIndex++}`;
      inlineScripts.set(id, html.slice(start + m[0].indexOf('>') + 1, start + m[0].lastIndexOf('</')));
    }
    entries.push(id);
    out += html.slice(last, start) + `<script type="module">import { load } from ${scriptJson(clientPath)}; await load(${scriptJson(id)});</script>`;
    last = start + m[0].length;
  }
  out += html.slice(last);
  if (boot.base !== '/') out = rebaseUrls(out, boot.base);
  const bootScript =
    `<script type="module">import { start } from ${scriptJson(clientPath)}; start(${scriptJson(boot)});</script>`;
  return { html: injectHead(out, bootScript), entries, inlineScripts };
}

// Root-absolute src/href of elements that load something (not `//host` URLs).
const URL_ATTR = /(<(?:link|img|script|source|video|audio|a|iframe|image|use)\b[^>]*?\s(?:src|href)\s*=\s*)(["'])\/(?!\/)/gi;

/** Under a base path, `/logo.svg` in the page means `<base>logo.svg`. */
export function rebaseUrls(html: string, base: string): string {
  return html.replace(URL_ATTR, (match, before: string, quote: string, offset: number) =>
    html.startsWith(base, offset + before.length + 1) ? match : `${before}${quote}${base}`,
  );
}

/** Inserts markup as the first thing in <head> (or at the top when there is none). */
export function injectHead(html: string, markup: string): string {
  const head = /<head\b[^>]*>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + markup + html.slice(head.index + head[0].length);
  const htmlTag = /<html\b[^>]*>/i.exec(html);
  if (htmlTag) return html.slice(0, htmlTag.index + htmlTag[0].length) + markup + html.slice(htmlTag.index + htmlTag[0].length);
  return markup + html;
}

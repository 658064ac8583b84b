/** Runs plugins' `transformIndexHtml` hooks: each may return new HTML and/or tags to inject. */
import type { HtmlTagDescriptor, IndexHtmlTransformContext, Plugin } from '../plugins/types.js';
import { escapeHtml } from './indexHtml.js';

const VOID_TAGS = new Set(['meta', 'link', 'base', 'img', 'br', 'hr', 'input']);

function renderTag(tag: HtmlTagDescriptor): string {
  const attrs = Object.entries(tag.attrs ?? {})
    .filter(([, v]) => v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escapeHtml(String(v))}"`))
    .join('');
  if (VOID_TAGS.has(tag.tag)) return `<${tag.tag}${attrs}>`;
  return `<${tag.tag}${attrs}>${tag.children ?? ''}</${tag.tag}>`;
}

function inject(html: string, tags: HtmlTagDescriptor[]): string {
  for (const tag of tags) {
    const markup = renderTag(tag);
    const where = tag.injectTo ?? 'head';
    const pattern = where.startsWith('head') ? /<head\b[^>]*>|<\/head>/i : /<body\b[^>]*>|<\/body>/i;
    const match = where.endsWith('prepend') ? pattern.exec(html) : new RegExp(pattern.source.split('|')[1], 'i').exec(html);
    if (!match) {
      html = where.startsWith('head') ? markup + html : html + markup;
      continue;
    }
    const at = where.endsWith('prepend') ? match.index + match[0].length : match.index;
    html = html.slice(0, at) + markup + html.slice(at);
  }
  return html;
}

export async function applyHtmlPlugins(html: string, plugins: Plugin[], ctx: IndexHtmlTransformContext): Promise<string> {
  for (const plugin of plugins) {
    if (!plugin.transformIndexHtml) continue;
    const result = await plugin.transformIndexHtml(html, ctx);
    if (!result) continue;
    if (typeof result === 'string') html = result;
    else if (Array.isArray(result)) html = inject(html, result);
    else html = inject(result.html, result.tags);
  }
  return html;
}

/**
 * What a changed file means for the page itself rather than for its modules: whether an
 * HTML change concerns the page this tab shows, whether the document references an asset
 * (`<img src>`, `<link href>`, ...), and swapping a `<link rel=stylesheet>` without a flash
 * (the new link is inserted next to the old one, which goes once the new one loaded).
 */

/**
 * Whether a change of HTML `page` concerns this tab. The served HTML says which page it is
 * (`current`, also for SPA fallback routes); without it, `/x/index.html` matches `/x/` and
 * any path under it that is not itself an `.html` page.
 */
export function pageMatches(page: string, current: string | undefined, pathname: string): boolean {
  if (current) return page === current;
  if (page === pathname) return true;
  if (!page.endsWith('/index.html')) return false;
  const dir = page.slice(0, -'index.html'.length);
  return pathname.startsWith(dir) && !pathname.endsWith('.html');
}

function pathOf(href: string, origin: string): string | null {
  try {
    const url = new URL(href, origin + '/');
    return url.origin === origin ? url.pathname : null;
  } catch {
    return null;
  }
}

/** Whether an element of the document loads `id` through `src`, `href` or `srcset`. */
export function documentReferences(doc: Document, id: string, origin: string): boolean {
  for (const el of Array.from(doc.querySelectorAll('[src],[href],[srcset]'))) {
    for (const attr of ['src', 'href']) {
      const value = el.getAttribute(attr);
      if (value !== null && pathOf(value, origin) === id) return true;
    }
    const srcset = el.getAttribute('srcset');
    if (srcset && srcset.split(',').some((c) => pathOf(c.trim().split(/\s+/)[0], origin) === id)) return true;
  }
  return false;
}

/** Swaps every current `<link rel=stylesheet>` of `id`; false if the page has none. */
export function swapStylesheetLinks(
  doc: Document,
  id: string,
  hash: string,
  origin: string,
  outdated: WeakSet<Element>,
): boolean {
  const links = Array.from(doc.querySelectorAll<HTMLLinkElement>('link[rel~="stylesheet"]')).filter(
    (l) => !outdated.has(l) && pathOf(l.getAttribute('href') ?? '', origin) === id,
  );
  for (const link of links) {
    const next = link.cloneNode() as HTMLLinkElement;
    const url = new URL(link.getAttribute('href')!, origin + '/');
    url.searchParams.set('v', hash);
    next.setAttribute('href', url.pathname + url.search);
    outdated.add(link);
    const done = () => link.remove();
    next.addEventListener('load', done, { once: true });
    next.addEventListener('error', done, { once: true });
    link.after(next);
  }
  return links.length > 0;
}

/**
 * The built-in module `/@devserver/css` that generated CSS modules import: one
 * `<style data-devserver-id>` per CSS module id in `<head>`, updated in place (so the
 * cascade order stays the order the styles were first inserted) and removed when the
 * module is pruned.
 */
import { namespaceFromValues } from './namespace.js';
import type { ModuleNamespace } from './types.js';

export const CSS_MODULE_ID = '/@devserver/css';

export interface StyleSheets {
  updateStyle(id: string, css: string): void;
  removeStyle(id: string): void;
  /** The module namespace code imports (`updateStyle`, `removeStyle`). */
  readonly namespace: ModuleNamespace;
}

/** Style helper of one runtime; without a document (tests) it only keeps the text. */
export function createStyleSheets(doc: Document | undefined): StyleSheets {
  const styles = new Map<string, HTMLStyleElement | { textContent: string; remove(): void }>();
  const updateStyle = (id: string, css: string): void => {
    let style = styles.get(id);
    if (!style) {
      if (doc) {
        const el = doc.createElement('style');
        el.setAttribute('type', 'text/css');
        el.setAttribute('data-devserver-id', id);
        doc.head.appendChild(el);
        style = el;
      } else {
        style = { textContent: '', remove() {} };
      }
      styles.set(id, style);
    }
    style.textContent = css;
  };
  const removeStyle = (id: string): void => {
    styles.get(id)?.remove();
    styles.delete(id);
  };
  return { updateStyle, removeStyle, namespace: namespaceFromValues({ updateStyle, removeStyle }) };
}

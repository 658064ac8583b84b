/**
 * The error overlay: a `<devserver-error-overlay>` custom element with its own shadow DOM,
 * so page styles cannot break it and it cannot break the page. Every piece of text is set
 * with `textContent` (an error message or code frame is data, never markup). Escape or a
 * click outside the panel closes it. The element class is created from the page's window
 * on first use, so this file can be imported where there is no DOM.
 */
import { OPEN_IN_EDITOR_PATH } from '../shared/constants.js';
import type { ErrorPayload } from '../shared/protocol.js';

export const OVERLAY_TAG = 'devserver-error-overlay';

const STYLE = `
:host { position: fixed; inset: 0; z-index: 2147483647; }
.backdrop { position: absolute; inset: 0; background: rgba(0,0,0,.66); overflow: auto; }
.panel { box-sizing: border-box; margin: 48px auto; max-width: 960px; width: calc(100% - 32px);
  background: #181818; color: #e8e8e8; border-top: 4px solid #ff5555; border-radius: 6px;
  padding: 20px 24px; font: 14px/1.5 ui-sans-serif, system-ui, sans-serif;
  box-shadow: 0 12px 32px rgba(0,0,0,.5); }
.error + .error { border-top: 1px solid #333; margin-top: 20px; padding-top: 20px; }
.message { color: #ff8080; font-weight: 600; white-space: pre-wrap; word-break: break-word; margin: 0 0 8px; }
.file { color: #8ab4f8; font-family: ui-monospace, Menlo, Consolas, monospace; cursor: pointer;
  text-decoration: underline; background: none; border: 0; padding: 0; font-size: 13px; }
.plugin, .chain, .hint { color: #aaa; font-size: 13px; margin: 4px 0; }
.hint { color: #e5c07b; }
pre { background: #0d0d0d; color: #e8e8e8; border-radius: 4px; padding: 12px 14px; overflow: auto;
  font: 13px/1.45 ui-monospace, Menlo, Consolas, monospace; margin: 10px 0; }
details { color: #999; font-size: 12px; }
.footer { color: #888; font-size: 12px; margin-top: 16px; }
`;

function el(doc: Document, tag: string, className: string, text?: string): HTMLElement {
  const node = doc.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderError(doc: Document, error: ErrorPayload): HTMLElement {
  const box = el(doc, 'section', 'error');
  box.appendChild(el(doc, 'p', 'message', error.message));
  if (error.plugin) box.appendChild(el(doc, 'div', 'plugin', `plugin: ${error.plugin}`));
  const file = error.file ?? error.id;
  if (file) {
    const where = error.loc ? `${file}:${error.loc.line}:${error.loc.column}` : file;
    const link = el(doc, 'button', 'file', where);
    link.title = 'Open in your editor';
    link.addEventListener('click', () => {
      // 204 once the editor started; otherwise the server's text says why (no EDITOR set, a
      // file it does not serve), the only feedback a click can give.
      void fetch(`${OPEN_IN_EDITOR_PATH}?file=${encodeURIComponent(where)}`).then(
        async (res) => {
          if (!res.ok) console.warn(`[devserver] open in editor: ${(await res.text()).trim()}`);
        },
        () => undefined,
      );
    });
    box.appendChild(link);
  }
  if (error.frame) box.appendChild(el(doc, 'pre', 'frame', error.frame));
  if (error.importerChain?.length) {
    box.appendChild(el(doc, 'div', 'chain', `imported by ${error.importerChain.join(' <- ')}`));
  }
  if (error.hint) box.appendChild(el(doc, 'div', 'hint', error.hint));
  if (error.stack) {
    const details = el(doc, 'details', 'stack');
    details.appendChild(el(doc, 'summary', 'summary', 'stack'));
    details.appendChild(el(doc, 'pre', 'stack-text', error.stack));
    box.appendChild(details);
  }
  return box;
}

/** Defines the element class once in `win`; returns nothing, the tag is the API. */
export function defineOverlay(win: Window & typeof globalThis): void {
  if (win.customElements.get(OVERLAY_TAG)) return;
  class ErrorOverlay extends win.HTMLElement {
    private readonly onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') this.close();
    };

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      const style = win.document.createElement('style');
      style.textContent = STYLE;
      root.appendChild(style);
    }

    /** Replaces the errors shown. */
    show(errors: ErrorPayload[]): void {
      const doc = win.document;
      const root = this.shadowRoot!;
      root.querySelector('.backdrop')?.remove();
      const backdrop = el(doc, 'div', 'backdrop');
      const panel = el(doc, 'div', 'panel');
      panel.setAttribute('role', 'alertdialog');
      for (const error of errors) panel.appendChild(renderError(doc, error));
      panel.appendChild(
        el(doc, 'div', 'footer', 'Press Esc or click outside to close. Turn it off with server.overlay: false.'),
      );
      backdrop.addEventListener('click', (e) => {
        if (e.target === backdrop) this.close();
      });
      backdrop.appendChild(panel);
      root.appendChild(backdrop);
    }

    connectedCallback(): void {
      win.document.addEventListener('keydown', this.onKey);
    }

    disconnectedCallback(): void {
      win.document.removeEventListener('keydown', this.onKey);
    }

    close(): void {
      this.remove();
    }
  }
  win.customElements.define(OVERLAY_TAG, ErrorOverlay);
}

/** Shows `errors` in the overlay (replacing it), or removes it when the list is empty. */
export function showOverlay(win: Window & typeof globalThis, errors: ErrorPayload[]): void {
  const doc = win.document;
  const existing = doc.querySelector(OVERLAY_TAG) as (HTMLElement & { show?(e: ErrorPayload[]): void }) | null;
  if (!errors.length) {
    existing?.remove();
    return;
  }
  defineOverlay(win);
  const overlay = existing ?? (doc.createElement(OVERLAY_TAG) as HTMLElement & { show?(e: ErrorPayload[]): void });
  overlay.show?.(errors);
  if (!existing) doc.body.appendChild(overlay);
}

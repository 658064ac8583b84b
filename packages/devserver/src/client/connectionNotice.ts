/**
 * The small "lost connection to devserver, retrying" notice shown while the websocket is
 * down: a fixed pill in a corner, in its own shadow DOM, removed when the socket is back.
 */

export const NOTICE_TAG = 'devserver-connection-notice';

const STYLE = `
:host { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; }
div { background: #181818; color: #e8e8e8; border-left: 3px solid #e5c07b; border-radius: 4px;
  padding: 6px 12px; font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace;
  box-shadow: 0 4px 12px rgba(0,0,0,.35); }
`;

export function setConnectionNotice(doc: Document, lost: boolean): void {
  const existing = doc.querySelector(NOTICE_TAG);
  if (!lost) {
    existing?.remove();
    return;
  }
  if (existing || !doc.body) return;
  const host = doc.createElement(NOTICE_TAG);
  const root = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = STYLE;
  const text = doc.createElement('div');
  text.setAttribute('role', 'status');
  text.textContent = 'lost connection to devserver, retrying';
  root.append(style, text);
  doc.body.appendChild(host);
}

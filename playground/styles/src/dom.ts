// The element with this id, created in #app on first use, so each feature module renders
// its own part of the page whichever order the modules run in (and again when re-run).
export function slot(id: string, tag = 'p'): HTMLElement {
  let el = document.getElementById(id);
  if (!el) {
    el = document.createElement(tag);
    el.id = id;
    document.querySelector('#app')!.appendChild(el);
  }
  return el;
}

// The entry: it keeps the click count (state a reload would lose) and accepts
// accepted.ts; its callback throws when the new version says so (an accept callback error).
import './widget.ts';
import { value } from './accepted.ts';

let clicks = 0;
const show = (sel: string, text: string) => (document.querySelector(sel)!.textContent = text);
document.querySelector('#count')!.addEventListener('click', () => show('#clicks', `clicks: ${++clicks}`));
show('#accepted', value);
document.body.dataset.ready = 'true';

if (import.meta.hot) {
  import.meta.hot.accept('./accepted.ts', (mod) => {
    if (!mod) return;
    if (mod.fail) throw new Error(`accept callback failed for ${mod.value}`);
    show('#accepted', mod.value);
  });
}

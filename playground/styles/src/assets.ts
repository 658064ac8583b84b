// Assets as modules: an svg URL, the same with ?url, a ?raw text and JSON. Their default
// export changes with the file; this module accepts each of them and re-renders that part.
import logoUrl from './assets/logo.svg';
import logoExplicitUrl from './assets/logo.svg?url';
import notes from './notes.txt?raw';
import data from './data.json';
import { slot } from './dom.ts';

function showLogo(url: string): void {
  slot('logo-url').textContent = url;
  const img = (document.getElementById('logo-img') as HTMLImageElement | null) ?? (slot('logo-img', 'img') as HTMLImageElement);
  img.src = url;
}
const showExplicit = (url: string) => (slot('logo-explicit').textContent = url);
const showNotes = (text: string) => (slot('notes').textContent = text.trim());
const showData = (d: typeof data) => (slot('data').textContent = `${d.name} v${d.version}`);

showLogo(logoUrl);
showExplicit(logoExplicitUrl);
showNotes(notes);
showData(data);

if (import.meta.hot) {
  import.meta.hot.accept('./assets/logo.svg', (mod) => mod && showLogo(mod.default));
  import.meta.hot.accept('./assets/logo.svg?url', (mod) => mod && showExplicit(mod.default));
  import.meta.hot.accept('./notes.txt?raw', (mod) => mod && showNotes(mod.default));
  import.meta.hot.accept('./data.json', (mod) => mod && showData(mod.default));
}

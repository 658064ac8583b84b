// The entry: one visible line per feature, so a person editing files by hand sees each one.
import './style.css';
import data, { name } from './data.json';
import iconUrl from './assets/icon.svg';
import iconSource from './assets/icon.svg?raw';
import { mountCounter } from './counter.ts';

const app = document.querySelector<HTMLElement>('#app')!;
app.innerHTML = `
  <p class="card" id="mode">mode: ${import.meta.env.MODE}</p>
  <p class="card" id="json">json: ${name} ${data.version} (${data.features.length} features)</p>
  <p class="card" id="asset">asset: <img id="asset-img" src="${iconUrl}" alt="icon" width="16" height="16" /> <code id="asset-url"></code></p>
  <p class="card" id="raw">raw: <code id="raw-text"></code></p>
  <div class="card" id="counter"></div>
  <p class="card"><button id="lazy-button" type="button">Load lazy module</button> <span id="lazy"></span></p>
`;
app.querySelector('#asset-url')!.textContent = iconUrl;
app.querySelector('#raw-text')!.textContent = iconSource.startsWith('<svg') ? `svg source, ${iconSource.length} chars` : 'not svg';

mountCounter(app.querySelector<HTMLElement>('#counter')!);

app.querySelector('#lazy-button')!.addEventListener('click', async () => {
  const { lazyMessage } = await import('./lazy.ts');
  app.querySelector('#lazy')!.textContent = lazyMessage();
});

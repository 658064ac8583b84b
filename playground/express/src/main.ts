import { message } from './message';

function render(text: string) {
  document.getElementById('message')!.textContent = text;
}
render(message);

// Accept updates of ./message here, so editing it never reloads the page.
import.meta.hot?.accept('./message', (mod) => {
  if (mod) render((mod as typeof import('./message')).message);
});

const api = await fetch('/api/hello').then((r) => r.json());
document.getElementById('api')!.textContent = `${api.from} says hi=${api.hi}`;

const ws = new WebSocket(`ws://${location.host}/app-ws`);
ws.onopen = () => ws.send('ping');
ws.onmessage = (event) => {
  document.getElementById('ws')!.textContent = String(event.data);
};

// Shows data from the backend and refetches it when the backend restarts (the
// `devserver:backend-restarted` event), instead of reloading the page.
import type { MessageResponse } from '../shared/api';

const messageEl = document.querySelector<HTMLElement>('#message')!;
const servedByEl = document.querySelector<HTMLElement>('#served-by')!;
const restartsEl = document.querySelector<HTMLElement>('#restarts')!;
let restarts = 0;

async function load(): Promise<void> {
  const res = await fetch('/api/message');
  if (!res.ok) {
    messageEl.textContent = `the API answered ${res.status}`;
    return;
  }
  const data = (await res.json()) as MessageResponse;
  messageEl.textContent = data.message;
  servedByEl.textContent = `served by process ${data.pid}`;
}

void load();

if (import.meta.hot) {
  import.meta.hot.on('devserver:backend-restarted', () => {
    restarts++;
    restartsEl.textContent = `backend restarts: ${restarts}`;
    void load();
  });
}

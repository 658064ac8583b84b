// Listens to `my:broadcast`, which the server sends to every tab (server.hot.send). It
// self-accepts: edit `version` and save; the next broadcast is received by the new version
// only, because the listeners of a replaced module are removed.
import { show } from '../show.ts';

const version = 'broadcast v1';

import.meta.hot?.on('my:broadcast', (data: { n: number }) => {
  const el = document.getElementById('events-broadcast');
  if (!el) return;
  if (el.dataset.n !== String(data.n)) {
    el.dataset.n = String(data.n);
    el.textContent = `#${data.n} received by ${version}`;
  } else {
    el.textContent += `, ${version}`;
  }
});

show('events-broadcast', `${version} listening`);

import.meta.hot?.accept();

// Imported only by host.ts. Logs its dispose and prune handlers when host.ts drops it.
const log: string[] = [];
const write = (what: string) => {
  log.push(what);
  const el = document.getElementById('prune-log');
  if (el) el.textContent = `extra.ts: ${log.join(', ')}`;
};

write('loaded');

import.meta.hot?.dispose(() => write('dispose'));
import.meta.hot?.prune(() => write('prune'));

// Listens to the runtime's built-in events, under both prefixes (`devserver:` and Vite's
// `vite:`): the events of the last hot update, a count of updates, the connection state,
// and the reason of the last full reload (kept in sessionStorage across the reload).
import { show } from '../show.ts';

const RELOAD_KEY = 'hmr-playground:last-reload';
show('last-reload', sessionStorage.getItem(RELOAD_KEY) ?? 'none in this tab');

if (import.meta.hot) {
  const hot = import.meta.hot;
  let seen: string[] = [];
  let paths = '';
  let updates = 0;
  const record = (event: string) => {
    seen.push(event);
    show('events-builtin', `${seen.join(', ')} (${paths})`);
  };
  hot.on('devserver:beforeUpdate', (payload) => {
    seen = [];
    paths = payload.updates.map((u) => u.path).join(', ');
    updates++;
    show('events-update-count', `updates: ${updates}`);
    record('devserver:beforeUpdate');
  });
  hot.on('vite:beforeUpdate', () => record('vite:beforeUpdate'));
  hot.on('devserver:afterUpdate', () => record('devserver:afterUpdate'));
  hot.on('vite:afterUpdate', () => record('vite:afterUpdate'));
  hot.on('devserver:beforeFullReload', (payload) => sessionStorage.setItem(RELOAD_KEY, payload.reason));
  hot.on('devserver:ws:connect', () => show('ws-status', 'connected'));
  hot.on('devserver:ws:disconnect', () => show('ws-status', 'disconnected'));
}

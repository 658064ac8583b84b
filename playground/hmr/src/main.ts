// The entry of index.html: it imports every demo once. It accepts nothing, so an update
// that climbs up to here (through a module nobody accepts) reloads the page.
import './events/builtin.ts';
import './shared/banner.ts';
import './self/plain.ts';
import './self/callback.ts';
import './self/multi.ts';
import './self/themed.ts';
import './deps/host.ts';
import './deps/pair.ts';
import './deps/spelling.ts';
import './nested/boundary.ts';
import './cycle/view.ts';
import { store } from './reload/store.ts';
import './dead/dead.ts';
import './decline/host.ts';
import './state/counter.ts';
import './prune/host.ts';
import './invalidate/parent.ts';
import './invalidate/toEntry.ts';
import './invalidate/loopHost.ts';
import './exports/partialUser.ts';
import './exports/wideUser.ts';
import { other } from './exports/direct.ts';
import './events/ping.ts';
import './events/broadcast.ts';
import './pipeline/value.ts';
import './pipeline/holder.ts';
import { show } from './show.ts';

show('reload-data', store.data);
show('exports-direct', `main.ts shows ${other}`);

document.getElementById('lazy-load')!.addEventListener('click', () => {
  // Loaded on demand: until then this tab ignores edits of lazy.ts.
  void import('./lazy/lazy.ts');
});

// Accepts ./ping.ts, so the ping.ts <-> pong.ts cycle never reaches main.ts: the only way
// out of it is the runtime's guard against invalidating the same update twice.
import { both } from './ping.ts';
import { show } from '../show.ts';

show('invalidate-loop', both());

import.meta.hot?.accept('./ping.ts', (next) => {
  if (next) show('invalidate-loop', next.both());
});

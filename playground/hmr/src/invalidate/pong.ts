// The other half of the ping.ts <-> pong.ts invalidation cycle.
import { ping } from './ping.ts';

export const pong = 'pong v1';

export function partner(): string {
  return ping;
}

import.meta.hot?.accept(() => {
  import.meta.hot?.invalidate('pong.ts passes it on');
});

// ping.ts and pong.ts import each other and each passes every update on with invalidate():
// the update goes round the cycle until a module invalidates the same update twice, which
// ends in one full reload, never a loop.
import { pong } from './pong.ts';

export const ping = 'ping v1';

export function both(): string {
  return `${ping}/${pong}`;
}

import.meta.hot?.accept(() => {
  import.meta.hot?.invalidate('ping.ts passes it on');
});

// accept(cb): edit the message and save. The old version's callback gets the new module's
// namespace and renders from it (the body renders first, then the callback overwrites).
import { show } from '../show.ts';

export const message = 'callback v1';

show('self-callback', `${message} (module body)`);

import.meta.hot?.accept((next) => {
  if (!next) return show('self-callback', 'the update failed: accept(cb) got undefined');
  show('self-callback', `${next.message} (accept callback, ${Object.prototype.toString.call(next)})`);
});

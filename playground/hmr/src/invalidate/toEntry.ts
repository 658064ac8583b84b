// Invalidates every update, and only main.ts (which accepts nothing) imports it: an edit
// ends in exactly one full reload.
import { show } from '../show.ts';

export const toEntry = 'toEntry v1';

show('invalidate-entry', toEntry);

import.meta.hot?.accept(() => {
  import.meta.hot?.invalidate('toEntry.ts passes it on');
});

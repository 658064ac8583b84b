// Self-accepts, but its callback decides it cannot apply the update and calls
// invalidate(): the update goes on to parent.ts, which accepts this module.
export const child = 'child v1';

import.meta.hot?.accept(() => {
  import.meta.hot?.invalidate('child.ts cannot apply this itself');
});

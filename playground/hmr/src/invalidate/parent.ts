// Accepts ./child.ts: takes the updates child.ts passes on with invalidate().
import { child } from './child.ts';
import { show } from '../show.ts';

show('invalidate', `${child} (parent.ts ran)`);

import.meta.hot?.accept('./child.ts', (next) => {
  show('invalidate', next ? `${next.child} (parent.ts took the invalidated update)` : 'failed');
});

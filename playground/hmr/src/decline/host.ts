// Accepts ./declined.ts, but declined.ts declines its own updates: edits of it reload.
import { declined } from './declined.ts';
import { show } from '../show.ts';

show('decline', declined);

import.meta.hot?.accept('./declined.ts', (next) => {
  show('decline', next ? `${next.declined} (accepted by host.ts: decline() did not work)` : 'failed');
});

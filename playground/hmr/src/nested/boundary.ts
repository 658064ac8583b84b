// The boundary of the nested chain: accepts ./mid.ts, so leaf.ts edits end here.
import { describe } from './mid.ts';
import { show } from '../show.ts';

show('nested', `${describe()} (boundary.ts ran)`);

import.meta.hot?.accept('./mid.ts', (next) => {
  show('nested', next ? `${next.describe()} (accepted by boundary.ts)` : 'mid update failed');
});

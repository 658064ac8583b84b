// Accepts ./a.ts, the top of a cycle: updates of a.ts or b.ts end here.
import { pair } from './a.ts';
import { show } from '../show.ts';

show('cycle', `${pair()} (view.ts ran)`);

import.meta.hot?.accept('./a.ts', (next) => {
  show('cycle', next ? `${next.pair()} (accepted by view.ts)` : 'cycle update failed');
});

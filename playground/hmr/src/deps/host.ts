// Accepts its dependency: updates of ./dep stop here and this module keeps running.
import { dep } from './dep';
import { show } from '../show.ts';

show('dep-accept', `${dep} (host.ts ran)`);

import.meta.hot?.accept('./dep', (next) => {
  show('dep-accept', next ? `${next.dep} (accepted by host.ts)` : 'dep update failed');
});

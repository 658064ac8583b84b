// The target of the save-pipeline tests (rapid saves, atomic saves, truncate-then-write,
// saves that change nothing). Self-accepting; it renders `value` each time it runs.
import { show } from '../show.ts';

export const value = 'value v1';

show('pipeline-value', value);

import.meta.hot?.accept();

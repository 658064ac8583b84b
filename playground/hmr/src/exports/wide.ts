// acceptExports('label'), but wideUser.ts uses `other`: the update goes on to wideUser.ts,
// which self-accepts, so both run again (no reload).
import { show } from '../show.ts';

export const label = 'wide v1';
export const other = 'wide other v1';

show('exports-wide', `${label} (wide.ts ran)`);

import.meta.hot?.acceptExports('label');

// Delete the `import './extra.ts'` line and save: extra.ts is no longer imported, so its
// dispose handler runs, then its prune handler (see "extra.ts lifecycle").
import './extra.ts';
import { show } from '../show.ts';

show('prune-host', 'host.ts imports extra.ts');

import.meta.hot?.accept();

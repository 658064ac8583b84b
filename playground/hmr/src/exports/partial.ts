// acceptExports(['label']): this module is its own boundary as long as its importers use
// only `label`. partialUser.ts does, so an edit here runs this module again and nothing else.
import { show } from '../show.ts';

export const label = 'partial v1';
export const other = 'partial other v1';

show('exports-partial', `${label} (partial.ts ran)`);

import.meta.hot?.acceptExports(['label']);

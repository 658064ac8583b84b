// Uses `other` from wide.ts (not covered by its acceptExports) and self-accepts.
import { other } from './wide.ts';
import { show } from '../show.ts';

show('exports-wide-user', `wideUser.ts ran with ${other}`);

import.meta.hot?.accept();

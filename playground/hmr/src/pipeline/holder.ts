// Imports removable.ts and self-accepts, so deleting and re-creating removable.ts is
// handled here.
import { removable } from './removable.ts';
import { show } from '../show.ts';

show('pipeline-removable', `holder.ts shows ${removable}`);

import.meta.hot?.accept();

// Loaded by both pages and self-accepting: an edit updates every open tab in place.
import { show } from '../show.ts';

export const banner = 'banner v1';

show('banner', banner);

import.meta.hot?.accept();

// Loaded only by the button (a dynamic import). Before the click this tab ignores edits of
// this file; after it, the module self-accepts like any other.
import { show } from '../show.ts';

export const lazy = 'lazy v1';

show('lazy', `${lazy} loaded`);

import.meta.hot?.accept();

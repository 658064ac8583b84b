// decline(): an update reaching this module reloads the page, even though host.ts accepts it.
export const declined = 'declined v1';

import.meta.hot?.decline();

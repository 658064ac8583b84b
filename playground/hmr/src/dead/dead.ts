// The accept call below never runs, so this module is no boundary: an edit reloads the
// page instead of leaving it stale (Vite, which looks for the call in the source, would
// treat it as a boundary and update nothing).
import { show } from '../show.ts';

export const dead = 'dead v1';

show('dead', dead);

// eslint-disable-next-line no-constant-condition
if (false) import.meta.hot?.accept();

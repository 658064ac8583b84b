// Self-accepting importer of src/shared/theme.ts: in this page an edit of theme.ts stops
// here (no reload), while other.html, whose entry imports theme.ts directly, reloads.
import { theme } from '../shared/theme.ts';
import { show } from '../show.ts';

show('themed', `themed.ts shows ${theme}`);

import.meta.hot?.accept();

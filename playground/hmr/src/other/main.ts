// The entry of other.html. It imports src/shared/theme.ts directly and accepts nothing,
// so a theme.ts edit reloads this page while index.html (where themed.ts accepts it)
// updates in place.
import '../events/builtin.ts';
import '../shared/banner.ts';
import { theme } from '../shared/theme.ts';
import { only } from './only.ts';
import { show } from '../show.ts';

show('theme', theme);
show('other-only', only);

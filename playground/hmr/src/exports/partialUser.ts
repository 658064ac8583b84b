// Uses only `label` from partial.ts, so partial.ts's acceptExports covers it: this module
// does not run again when partial.ts changes (its text keeps the label it first saw).
import { label } from './partial.ts';
import { show } from '../show.ts';

show('exports-partial-user', `partialUser.ts ran with ${label}`);

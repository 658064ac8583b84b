// accept() specifiers are resolved like imports: the import below says './word.ts', the
// accept call says './word', and both name the same module, so edits of word.ts stop here.
import { word } from './word.ts';
import { show } from '../show.ts';

show('dep-spelling', `${word} (spelling.ts ran)`);

import.meta.hot?.accept('./word', (next) => {
  show('dep-spelling', next ? `${next.word} (accepted as './word')` : 'word update failed');
});

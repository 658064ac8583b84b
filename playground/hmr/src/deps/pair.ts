// accept(['./a', './b'], cb): the callback gets an array in the order of the specifiers,
// with the slot of each updated module filled and the others undefined.
import { a } from './a';
import { b } from './b';
import { show } from '../show.ts';

show('dep-array', `a: ${a}, b: ${b} (pair.ts ran)`);

import.meta.hot?.accept(['./a', './b'], ([nextA, nextB]) => {
  show('dep-array', `a: ${nextA ? nextA.a : 'undefined'}, b: ${nextB ? nextB.b : 'undefined'}`);
});

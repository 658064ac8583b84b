// a.ts and b.ts import each other; view.ts accepts a.ts. Edit either one: both run again
// and view.ts shows the new pair.
import { b } from './b.ts';

export const a = 'a1';

export function pair(): string {
  return `${a}+${b}`;
}

// Half of the a.ts <-> b.ts cycle. Edit `b`.
import { a } from './a.ts';

export const b = 'b1';

export function partner(): string {
  return a;
}

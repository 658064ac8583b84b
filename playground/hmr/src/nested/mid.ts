// Between leaf.ts and boundary.ts, with no accept of its own: it runs again on a leaf edit.
import { leaf } from './leaf.ts';

export function describe(): string {
  return `mid.ts sees ${leaf}`;
}

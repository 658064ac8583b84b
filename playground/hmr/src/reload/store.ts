// Passes data.ts on to main.ts; accepts nothing.
import { data } from './data.ts';

export const store = { data };

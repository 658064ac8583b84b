// accept(): edit the message and save. The module runs again and re-renders; no reload.
import { show } from '../show.ts';

export const message = 'plain v1';

show('self-plain', message);

import.meta.hot?.accept();

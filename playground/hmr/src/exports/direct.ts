// acceptExports(['label']), but main.ts uses `other` and accepts nothing: an edit reloads.
export const label = 'direct v1';
export const other = 'direct other v1';

import.meta.hot?.acceptExports(['label']);

// Accepts itself: an edit applies in place. Break it (syntax, import, throw) to see the overlay.
import { helper } from './helper.ts';
export const label = 'widget v1';
document.querySelector('#widget')!.textContent = `${label} ${helper()}`;
if (import.meta.hot) import.meta.hot.accept();

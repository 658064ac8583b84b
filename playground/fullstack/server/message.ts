// Edit this while the page is open: the backend restarts, the page refetches, no reload.
export const message = 'hello from the backend';

// Delete this file: holder.ts's import no longer resolves and the overlay shows the error.
// Create it again: the page heals without a reload.
export const removable = 'removable v1';

// Types both sides use: the page imports them as types only, so they never reach the
// browser, and the backend bundles them.
export interface MessageResponse {
  message: string;
  /** The backend process that answered: it changes on every restart. */
  pid: number;
}

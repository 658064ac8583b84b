// Accepted by host.ts with accept('./dep', cb): edit `dep`; host.ts does not run again,
// its callback gets this module's new namespace.
export const dep = 'dep v1';

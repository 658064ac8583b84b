// Accepted by main.ts; set `fail` to true and save to make its accept callback throw.
export const value = 'accepted v1';
export const fail = false;

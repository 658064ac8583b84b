// Accepted by spelling.ts as './word' while its import says './word.ts'. Edit `word`.
export const word = 'word v1';

// One of the two dependencies pair.ts accepts as an array. Edit `a`.
export const a = 'a v1';

// One of the two dependencies pair.ts accepts as an array. Edit `b`.
export const b = 'b v1';

// Nothing accepts leaf.ts or mid.ts: an edit here climbs through mid.ts (which runs again)
// to boundary.ts, which accepts mid.ts.
export const leaf = 'leaf v1';

// Not a component module: its importers (Counter, Title) are the Fast Refresh boundaries.
export const accent = 'rgb(0, 0, 255)';
export const title = 'devserver react playground';

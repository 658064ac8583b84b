// Writes a demo's text into its <output> slot in index.html / other.html.
export function show(id: string, text: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

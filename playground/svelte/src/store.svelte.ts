// Module-level state shared by components (a `.svelte.ts` module: runes and TypeScript).
// Editing this file re-runs the components that import it; `$state` declared here keeps
// its value across the edit (see docs/framework-integration.md, "Svelte").
export interface Settings {
  step: number;
  clicks: number;
}

export const settings: Settings = $state({ step: 1, clicks: 0 });

export function addClick(): void {
  settings.clicks += settings.step;
}

export const STORE_LABEL: string = 'Store clicks';

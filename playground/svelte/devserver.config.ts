// Svelte 5 comes from the plugin; everything else is devserver's defaults.
import { defineConfig } from 'devserver';
import svelte from '@devserver/svelte';

export default defineConfig({
  plugins: [svelte()],
});

// React Fast Refresh comes from the plugin; everything else is devserver's defaults.
import { defineConfig } from 'devserver';
import react from '@devserver/react';

export default defineConfig({
  plugins: [react()],
});

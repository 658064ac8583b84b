/**
 * Two test projects, run one after the other by `pnpm test`:
 *  - unit: fast tests beside the code (`packages/<pkg>/src/**\/__tests__`), Node only, fakes
 *    injected, no browser.
 *  - e2e: `e2e/**\/*.test.ts` drive temp copies of `playground/*` in headless Chromium
 *    against the built package (`pnpm build` first). They start servers and browsers, so
 *    they get longer timeouts and at most two files at once (CI machines have 2 cores).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/__tests__/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'e2e/.tmp/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          // The built server is run by Node as users run it, not through vitest's transform.
          server: { deps: { external: [/packages\/devserver\/dist\//] } },
        },
      },
    ],
  },
});

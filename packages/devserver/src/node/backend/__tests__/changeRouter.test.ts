/** Which side gets a changed file: the backend, the frontend, or both (see changeRouter.ts). */
import { describe, expect, it } from 'vitest';
import { splitChanges } from '../changeRouter.js';
import type { FileChange } from '../../watch/changeCoalescer.js';

const change = (file: string): FileChange => ({ file, kind: 'change', firstEventAt: 0 });
const backendFiles = new Set(['/app/server/api.ts', '/app/shared/types.ts']);
const frontendFiles = new Set(['/app/src/main.ts', '/app/shared/types.ts']);

function route(files: string[], backendUnsure = false) {
  const { frontend, backend } = splitChanges(files.map(change), {
    isBackendFile: (f) => backendFiles.has(f),
    isFrontendFile: (f) => frontendFiles.has(f),
    backendUnsure,
  });
  return { frontend: frontend.map((c) => c.file), backend: backend.map((c) => c.file) };
}

describe('splitChanges', () => {
  it('sends backend files to the backend only', () => {
    expect(route(['/app/server/api.ts'])).toEqual({ frontend: [], backend: ['/app/server/api.ts'] });
  });

  it('sends frontend files to the frontend only', () => {
    expect(route(['/app/src/main.ts'])).toEqual({ frontend: ['/app/src/main.ts'], backend: [] });
  });

  it('sends a file both use to both', () => {
    expect(route(['/app/shared/types.ts'])).toEqual({ frontend: ['/app/shared/types.ts'], backend: ['/app/shared/types.ts'] });
  });

  it("sends files nobody uses yet to the frontend, as without a backend", () => {
    expect(route(['/app/public/logo.svg', '/app/index.html'])).toEqual({ frontend: ['/app/public/logo.svg', '/app/index.html'], backend: [] });
  });

  it('also gives the backend every unclaimed file while its inputs are unknown (after a failed build)', () => {
    expect(route(['/app/server/new-route.ts', '/app/src/main.ts'], true)).toEqual({
      frontend: ['/app/server/new-route.ts', '/app/src/main.ts'],
      backend: ['/app/server/new-route.ts'],
    });
  });
});

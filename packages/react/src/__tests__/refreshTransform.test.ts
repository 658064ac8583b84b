/** Which modules get Fast Refresh, and the footer appended to them (src/node/refreshTransform.ts). */
import { describe, expect, it } from 'vitest';
import { createRefreshFilter, refreshFooter, HELPER_SPECIFIER } from '../node/refreshTransform.js';

describe('createRefreshFilter', () => {
  const refreshes = createRefreshFilter({});

  it('takes .jsx and .tsx modules, by module id or by absolute path', () => {
    expect(refreshes('/src/App.tsx')).toBe(true);
    expect(refreshes('/home/me/app/src/Button.jsx')).toBe(true);
    expect(refreshes('/@fs/work/packages/ui/src/Card.tsx')).toBe(true);
  });

  it('skips plain scripts, node_modules, ids with a query and virtual modules', () => {
    expect(refreshes('/src/store.ts')).toBe(false);
    expect(refreshes('/src/main.js')).toBe(false);
    expect(refreshes('/@fs/app/node_modules/lib/Button.jsx')).toBe(false);
    expect(refreshes('/src/App.tsx?raw')).toBe(false);
    expect(refreshes('\0virtual:thing.tsx')).toBe(false);
    expect(refreshes('/@id/__x00__virtual:thing.tsx')).toBe(false);
  });

  it('honours include and exclude', () => {
    const custom = createRefreshFilter({ include: /\.(tsx|ts)$/, exclude: /legacy/ });
    expect(custom('/src/hooks.ts')).toBe(true);
    expect(custom('/src/legacy/Old.tsx')).toBe(false);
  });
});

describe('refreshFooter', () => {
  const footer = refreshFooter();

  it('starts on a new line, so the lines of the source keep their numbers', () => {
    expect(footer.startsWith('\n')).toBe(true);
  });

  it('declares $RefreshReg$/$RefreshSig$ as hoisted functions and sets the module up', () => {
    expect(footer).toContain(`import * as __devserver_react_refresh__ from ${JSON.stringify(HELPER_SPECIFIER)};`);
    expect(footer).toMatch(/^function \$RefreshReg\$\(type, id\)/m);
    expect(footer).toMatch(/^function \$RefreshSig\$\(\)/m);
    expect(footer).toContain('setupModule(import.meta.hot, import.meta.url,');
  });
});

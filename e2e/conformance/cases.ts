/**
 * The conformance cases (folders under e2e/fixtures/conformance) and what each must show:
 * for native-comparable cases, the facts native Chromium must show (the point of the
 * case, so that two equally wrong runs cannot pass), for devserver-only cases the exact
 * observation. A case with a `gap` is one devserver does not meet yet (it.fails).
 */
import { expect } from 'vitest';

export interface ErrorSeen {
  name: string | null;
  message: string;
}

/** What one page load of a case showed. */
export interface Observation {
  results: unknown;
  /** `__log` at the end: module side effects in order. */
  log: string[];
  /** `error` and `unhandledrejection` events seen by the page. */
  errors: ErrorSeen[];
  /** Names of Playwright's `pageerror`s (uncaught, as the browser reports them). */
  pageErrors: string[];
}

export interface Case {
  /** Folder under e2e/fixtures/conformance. */
  name: string;
  /** Entry file; entry.js unless set. */
  entry?: string;
  /** What native Chromium shows: the point of the case (checked with toMatchObject). */
  native: Partial<Observation>;
  /** Set when devserver does not conform yet: the gap, one line (the test is it.fails). */
  gap?: string;
}

const noErrors = { errors: [], pageErrors: [] };

export const CASES: Case[] = [
  {
    name: 'namespace-shape',
    native: {
      ...noErrors,
      results: {
        keys: ['$dollar', 'Beta', 'Z10', 'Z9', '_under', 'alpha', 'default', 'quoted name', 'zeta', 'ä'],
        toString: '[object Module]',
        tag: 'Module',
        protoIsNull: true,
        extensible: false,
        assignNew: { threw: 'TypeError' },
        deleteExisting: { threw: 'TypeError' },
      },
    },
  },
  {
    name: 'namespace-during-evaluation',
    native: {
      ...noErrors,
      results: {
        during: {
          extensible: false,
          ownKeys: ['during', 'early', 'hoisted', 'late', 'Symbol(Symbol.toStringTag)'],
          readLate: { threw: 'ReferenceError' },
        },
      },
    },
  },
  {
    name: 'namespace-descriptors',
    gap: 'namespace properties are getters, not data properties (client/namespace.ts avoids a Proxy for speed), so descriptors differ, isFrozen is true and Object.keys ignores the TDZ',
    native: {
      ...noErrors,
      results: {
        value: { kind: 'data', value: 'number', writable: true, enumerable: true, configurable: false },
        valueBeforeBump: 1,
        afterBump: 2,
        frozen: false,
        keysDuringEvaluation: { threw: 'ReferenceError' },
      },
    },
  },
  {
    name: 'default-export-names',
    native: {
      ...noErrors,
      results: {
        fn: { name: 'default' },
        cls: { name: 'default' },
        arrow: { name: 'default' },
        namedFn: { name: 'named' },
        seenInStaticBlock: 'default',
      },
    },
  },
  {
    name: 'transform-keeps-code',
    native: { ...noErrors, results: { commaDefaultName: '', seen: ['kept', 'function', '', 'function'] } },
  },
  {
    name: 'export-star',
    native: { ...noErrors, results: { cKeys: ['onlyA', 'onlyB', 'overridden', 'own'], cHasShared: false, cHasDefault: false } },
  },
  {
    name: 'export-star-same-binding',
    gap: 'payloads list indirect re-exports as own names (client/exportResolution.ts), so two stars reaching one binding through `export { x } from` look ambiguous',
    native: { ...noErrors, results: { keys: ['x'], x: 'x of a', renamedKeys: ['x'] } },
  },
  {
    name: 'export-star-ambiguous-import',
    native: { results: null, log: [], errors: [expect.objectContaining({ name: 'SyntaxError' })], pageErrors: ['SyntaxError'] },
  },
  {
    name: 'missing-export-link-error',
    native: { results: null, log: [], errors: [expect.objectContaining({ name: 'SyntaxError' })], pageErrors: ['SyntaxError'] },
  },
  {
    name: 'cycle-tdz',
    native: {
      ...noErrors,
      results: {
        seen: {
          letValue: { threw: 'ReferenceError', isReferenceError: true },
          typeofLet: { threw: 'ReferenceError' },
          viaNamespace: { threw: 'ReferenceError' },
        },
        after: 'let',
      },
    },
  },
  {
    name: 'tla-siblings',
    native: {
      ...noErrors,
      results: {
        log: ['slow start', 'fast start', 'sync', 'fast end', 'after-fast', 'slow end', 'entry'],
      },
    },
  },
  {
    name: 'evaluation-error-rethrown',
    native: { ...noErrors, results: { name: 'TypeError', sameObject: true, importerSameObject: true, boomRuns: 1, importerRuns: 0 } },
  },
  {
    name: 'import-meta-resolve',
    native: {
      ...noErrors,
      results: { type: 'function', x: '/import-meta-resolve/x.js', missing: '/import-meta-resolve/missing.js', bare: { threw: 'TypeError' } },
    },
  },
  {
    name: 'one-instance',
    native: { ...noErrors, results: { runs: 1, dottedSame: true, viaBSame: true, dynamicSame: true, objectSame: true } },
  },
  {
    name: 'live-bindings',
    native: {
      ...noErrors,
      results: {
        seen: [
          [0, 0, 0, 0, 0, 0],
          [1, 1, 1, 1, 0, 0],
          [2, 2, 2, 2, 0, 1],
          [0, 0, 0, 0, 0, 1],
        ],
      },
    },
  },
  {
    name: 'import-binding-assignment',
    native: {
      ...noErrors,
      results: { assign: 'TypeError', destructure: 'TypeError', namespace: 'TypeError', global: 'TypeError', windowName: '' },
    },
  },
  {
    name: 'hoisting-cycle',
    native: {
      ...noErrors,
      results: {
        resultOfB: {
          declared: { ok: 'declared' },
          anonymousDefault: { ok: 'anonymous default' },
          hoistedVar: { ok: undefined },
          arrow: { threw: 'ReferenceError' },
        },
      },
    },
  },
  {
    name: 'dynamic-import',
    native: {
      ...noErrors,
      results: {
        logBefore: ['shared ran'],
        sameAsStatic: true,
        lazySame: true,
        thenable: 'from then',
        missing: 'TypeError',
        bare: 'TypeError',
      },
    },
  },
  {
    name: 'import-meta-url',
    native: { ...noErrors, results: { path: '/import-meta-url/entry.js', subUrl: '/import-meta-url/sub/mod.js', distinctPerModule: true } },
  },
  {
    name: 'evaluation-order',
    native: { ...noErrors, results: { log: ['c', 'e', 'd', 'a', 'b', 'entry'] } },
  },
  {
    name: 'microtask-order',
    gap: 'every static import is an await in the factory (client/evaluator.ts), so microtasks queued by a body run before the next sync module body',
    native: { ...noErrors, results: { log: ['a', 'b', 'entry', 'a microtask', 'a queueMicrotask'] } },
  },
];

export interface DevOnlyCase {
  name: string;
  entry?: string;
  expected: Observation;
  /** As for Case: the gap that makes this an it.fails. */
  gap?: string;
}

export const DEV_ONLY: DevOnlyCase[] = [
  {
    name: 'cjs-interop',
    expected: {
      ...noErrors,
      log: [],
      results: {
        defaultType: 'object',
        defaultValue: { a: 1, b: 2 },
        b: 2,
        nsDefaultIsDefault: true,
        nsB: 2,
        nsTag: '[object Module]',
        dynamicSame: true,
      },
    },
  },
  {
    name: 'cjs-named-from-literal',
    gap: 'the deps pre-bundle finds CommonJS names with cjs-module-lexer (node/deps/depEntry.ts), which skips `module.exports = { a: 1 }` (non-identifier values), so `import { a }` fails to link',
    expected: { ...noErrors, log: [], results: { a: 1, nsA: 1, defaultA: 1 } },
  },
  {
    name: 'typescript',
    entry: 'entry.ts',
    expected: {
      ...noErrors,
      log: [],
      results: {
        area: 36,
        label: '4em',
        defaultUnit: 'px',
        last: 3,
        lastName: 'default',
        shapeKeys: ['Unit', 'defaultUnit'],
        metaPath: '/typescript/entry.ts',
        asConst: 2,
        nonNull: null,
      },
    },
  },
];

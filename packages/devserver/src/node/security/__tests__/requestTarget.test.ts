import { describe, expect, it } from 'vitest';
import { checkRequestTarget } from '../requestTarget.js';

describe('checkRequestTarget: accepted targets', () => {
  it.each([
    ['/', '/', ''],
    ['/src/main.ts', '/src/main.ts', ''],
    ['/src/main.ts?import&t=123', '/src/main.ts', 'import&t=123'],
    ['/src/a%20b.ts', '/src/a b.ts', ''],
    ['/caf%C3%A9.ts', '/café.ts', ''],
    ['/x?raw??', '/x', 'raw??'],
    ['/x?import&raw??', '/x', 'import&raw??'],
    ['/logo.svg?.wasm?init', '/logo.svg', '.wasm?init'],
    ['/x?q=a\\b', '/x', 'q=a\\b'],
    ['/x?', '/x', ''],
    // Left for the file gate: it normalises and refuses escapes.
    ['/%2e%2e/%2e%2e/etc/passwd', '/../../etc/passwd', ''],
    ['/src%2F..%2F..%2Fetc', '/src/../../etc', ''],
    ['//etc/passwd', '//etc/passwd', ''],
    ['/.env/.', '/.env/.', ''],
    // Decoded once only: double encoding stays literal.
    ['/%252e%252e%252fetc%252fpasswd', '/%2e%2e%2fetc%2fpasswd', ''],
  ])('%s', (raw, pathname, query) => {
    expect(checkRequestTarget(raw)).toEqual({ ok: true, pathname, query });
  });
});

describe('checkRequestTarget: 400', () => {
  it.each([
    // not origin-form
    [''],
    ['*'],
    ['http://localhost:5173/src/main.ts'],
    ['HTTP://evil.com/'],
    ['localhost:5173'],
    ['src/main.ts'],
    ['../etc/passwd'],
    // fragments
    ['/src/main.ts#x'],
    ['/.env#.js'],
    ['/x?y#z'],
    ['/#'],
    // backslashes, raw and encoded
    ['/..\\..\\etc\\passwd'],
    ['/src\\main.ts'],
    ['/%5c..%5c..%5cetc%5cpasswd'],
    ['/%5C'],
    ['/..%5C.env'],
    // NUL
    ['/x\0'],
    ['/x%00'],
    ['/.env%00.js'],
    ['/x?y=%00'],
    ['/x?\0'],
    // bad percent-encoding
    ['/%'],
    ['/%2'],
    ['/%zz'],
    ['/%%32%65'],
    ['/x?y=%G0'],
    ['/x?y=%'],
    ['/%ff'],
    ['/%c3'],
    ['/%ed%a0%80'],
    ['/%c0%ae%c0%ae/etc/passwd'],
    // raw bytes a browser never sends
    ['/a b'],
    ['/a\tb'],
    ['/a\r\nX-Injected: 1'],
    ['/é'],
    ['/\x7f'],
    // decoded separators and controls
    ['/.env%3F.js'],
    ['/.env%3f.js?raw'],
    ['/.env%23.js'],
    ['/x%0a'],
    ['/x%0D%0ASet-Cookie:a=b'],
    ['/x%7f'],
    ['/x%09'],
  ])('%j', (raw) => {
    const r = checkRequestTarget(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(400);
      expect(r.reason.length).toBeGreaterThan(0);
    }
  });

  it('never throws, whatever the input', () => {
    for (let c = 0; c < 256; c++) {
      const ch = String.fromCharCode(c);
      const hex = c.toString(16).padStart(2, '0');
      for (const raw of [`/${ch}`, `/%${hex}`, `/x?${ch}`, `/%${hex}%`, `${ch}/`]) {
        expect(() => checkRequestTarget(raw)).not.toThrow();
      }
    }
  });
});

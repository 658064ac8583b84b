/**
 * `import()`, `import.meta`, pre-bundled (native) dependencies and the built-in CSS module.
 */
import { describe, expect, it } from 'vitest';
import { createHarness, ORIGIN } from './harness.js';
import { runNative } from './native.js';

describe('dynamic import', () => {
  it('fetches the missing part of the graph lazily, in one request, and matches native order', async () => {
    const files = {
      '/main.js': `log('main start'); const m = await import('./lazy.js'); log('got ' + m.x + ' ' + Object.prototype.toString.call(m));`,
      '/lazy.js': `import { y } from './lazy-dep.js'; export const x = 'x' + y; log('lazy');`,
      '/lazy-dep.js': `export const y = 1; log('lazy-dep');`,
    };
    const native = runNative(files, '/main.js');
    const h = createHarness(files);
    await h.runtime.load('/main.js');
    expect(h.logs).toEqual(native.logs);
    expect(h.server.requests).toEqual(['/@devserver/graph?entry=%2Fmain.js', '/@devserver/graph?entry=%2Flazy.js']);
  });

  it('the main graph does not include dynamic imports; concurrent imports make one instance', async () => {
    const h = createHarness({
      '/main.js': `const [a, b] = await Promise.all([import('./lazy.js'), import('./lazy.js')]); log(a === b);`,
      '/lazy.js': `log('lazy runs');`,
    });
    await h.runtime.load('/main.js');
    expect(h.logs).toEqual(['lazy runs', true]);
    expect(h.server.requests).toHaveLength(2);
  });

  it('resolves computed specifiers against the module URL; bare ones reject like Chromium', async () => {
    const h = createHarness({
      '/src/main.js': `const name = 'page'; const p = await import('./pages/' + name + '.js'); log(p.title);
        try { await import(['bare', 'pkg'].join('-')); } catch (e) { log(e.constructor.name + ': ' + e.message); }`,
      '/src/pages/page.js': `export const title = 'page title';`,
    });
    await h.runtime.load('/src/main.js');
    expect(h.logs).toEqual([
      'page title',
      'TypeError: Failed to resolve module specifier "bare-pkg". Relative references must start with either "/", "./", or "../".',
    ]);
    expect(h.runtime.registry.roots.has('/src/pages/page.js')).toBe(true);
  });

  it('a module that failed in import() rejects every later import() with the same error', async () => {
    const h = createHarness({
      '/main.js': `const e1 = await import('./bad.js').catch((e) => e); const e2 = await import('./bad.js').catch((e) => e); log(e1 === e2, e1.message);`,
      '/bad.js': `log('bad'); throw new Error('bad module');`,
    });
    await h.runtime.load('/main.js');
    expect(h.logs).toEqual(['bad', [true, 'bad module']]);
  });
});

describe('import.meta', () => {
  it('has url, resolve, env and hot, on a null-prototype object', async () => {
    const h = createHarness({
      '/src/main.js': `log(import.meta.url); log(import.meta.resolve('./x.js')); log(import.meta.resolve('../y.js'));
        log(import.meta.env.MODE); log(typeof import.meta.hot.accept); log(Object.getPrototypeOf(import.meta));
        try { import.meta.resolve('bare'); } catch (e) { log(e.constructor.name); }`,
    });
    await h.runtime.load('/src/main.js');
    expect(h.logs).toEqual([`${ORIGIN}/src/main.js`, `${ORIGIN}/src/x.js`, `${ORIGIN}/y.js`, 'development', 'function', null, 'TypeError']);
  });
});

describe('pre-bundled dependencies', () => {
  const dep = {
    url: '/@deps/lib.js?v=abc',
    deps: {},
    dynamicDeps: {},
    imports: [],
    exports: ['default', 'named'],
    stars: [],
    tla: false,
    code: '',
  };
  const nativeNs = Object.freeze(Object.assign(Object.create(null), { default: 'D', named: 'N' }));

  it('are imported natively with their URL and linked by name', async () => {
    const urls: string[] = [];
    const h = createHarness(
      { '/main.js': `import lib, { named } from 'lib'; export * from 'lib'; log(lib + named);` },
      { extra: { '/@deps/lib.js': dep }, aliases: { lib: '/@deps/lib.js' }, importNative: async (url) => (urls.push(url), nativeNs) },
    );
    await h.runtime.load('/main.js');
    expect(urls).toEqual(['/@deps/lib.js?v=abc']);
    expect(h.logs).toEqual(['DN']);
    expect(Object.keys(h.runtime.registry.get('/main.js')!.ns)).toEqual(['named']);
  });

  it('a name the dependency does not export is a link error before anything runs', async () => {
    const h = createHarness(
      { '/main.js': `import './side.js'; import { missing } from 'lib'; log('main');`, '/side.js': `log('side');` },
      { extra: { '/@deps/lib.js': dep }, aliases: { lib: '/@deps/lib.js' }, importNative: async () => nativeNs },
    );
    await expect(h.runtime.load('/main.js')).rejects.toThrow("The requested module 'lib' does not provide an export named 'missing'");
    expect(h.logs).toEqual([]);
  });
});

describe('the built-in CSS module', () => {
  it('updates styles in place, keeping insertion order, and removes them', async () => {
    const head: Array<{ attrs: Record<string, string>; textContent: string }> = [];
    const doc = {
      createElement: () => {
        const el = {
          attrs: {} as Record<string, string>,
          textContent: '',
          setAttribute(k: string, v: string) {
            el.attrs[k] = v;
          },
          remove() {
            head.splice(head.indexOf(el), 1);
          },
        };
        return el;
      },
      head: { appendChild: (el: (typeof head)[number]) => head.push(el) },
    } as unknown as Document;
    const css = (id: string, text: string) =>
      `import { updateStyle } from '/@devserver/css'; updateStyle('${id}', '${text}'); import.meta.hot.accept();`;
    const h = createHarness(
      { '/main.js': `import './a.css.js'; import './b.css.js';`, '/a.css.js': css('/a.css', 'a{}'), '/b.css.js': css('/b.css', 'b{}') },
      { document: doc },
    );
    await h.runtime.load('/main.js');
    await h.update({ '/a.css.js': css('/a.css', 'a{color:red}') });
    expect(head.map((s) => [s.attrs['data-devserver-id'], s.textContent])).toEqual([
      ['/a.css', 'a{color:red}'],
      ['/b.css', 'b{}'],
    ]);
    h.runtime.styles.removeStyle('/a.css');
    expect(head.map((s) => s.attrs['data-devserver-id'])).toEqual(['/b.css']);
  });
});

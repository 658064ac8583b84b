/**
 * CSS modules (hmr-spec section 3): the esbuild build (scoped names, class map, composed and
 * imported files as watch files, url() rewriting, errors with a location) and the module
 * source it becomes, run with a fake `import.meta.hot` to check the update rule: same
 * class map -> only the CSS is swapped; another map -> the update goes to the importers.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { transform } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDevServerError } from '../../errors.js';
import { bundleCssModule } from '../cssModules.js';
import { bundleCss } from '../cssTransform.js';
import { formatOf, kindOf, scopedCssModuleSource } from '../moduleKinds.js';
import { transformScript } from '../scriptTransform.js';

let root: string;

beforeEach(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'devserver-css-modules-')));
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function write(rel: string, text: string): Promise<string> {
  const file = path.join(root, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  return file;
}

describe('formatOf', () => {
  it('tells CSS modules from plain CSS', () => {
    expect(formatOf('/src/a.module.css')).toBe('css-module');
    expect(formatOf('/src/a.css')).toBe('css');
    expect(kindOf('css-module')).toBe('css');
  });
});

describe('bundleCssModule', () => {
  it('scopes class names and returns the class map', async () => {
    const file = await write('src/card.module.css', '.title { color: red; }\n.my-box { padding: 1px; }\n:global(.keep) { color: blue; }\n');
    const { css, classes, files } = await bundleCssModule(file, '/src/card.module.css');
    expect(Object.keys(classes).sort()).toEqual(['my-box', 'title']);
    expect(classes.title).toMatch(/^card_[0-9a-f]{5}_title$/);
    expect(css).toContain(`.${classes.title} {`);
    expect(css).toContain(`.${classes['my-box']} {`);
    expect(css).toContain('.keep {');
    expect(files).toEqual([file]);
  });

  it('gives same-named files in different folders different names, and one file the same names in every build', async () => {
    const a = await write('src/a/button.module.css', '.primary { color: red; }');
    const b = await write('src/b/button.module.css', '.primary { color: blue; }');
    const first = await bundleCssModule(a, '/src/a/button.module.css');
    const second = await bundleCssModule(b, '/src/b/button.module.css');
    expect(first.classes.primary).not.toBe(second.classes.primary);
    expect((await bundleCssModule(a, '/src/a/button.module.css')).classes).toEqual(first.classes);
  });

  it('tracks composes and @import dependencies and inlines their CSS', async () => {
    const base = await write('src/base.module.css', '.base { font-weight: bold; }');
    const plain = await write('src/plain.css', '.plain { margin: 0; }');
    const file = await write(
      'src/button.module.css',
      "@import './plain.css';\n.btn { composes: base from './base.module.css'; color: red; }\n.big { composes: btn; }\n",
    );
    const { css, classes, files } = await bundleCssModule(file, '/src/button.module.css');
    const baseClasses = (await bundleCssModule(base, '/src/base.module.css')).classes;
    expect(classes.btn.split(' ')).toEqual([baseClasses.base, expect.stringMatching(/_btn$/)]);
    expect(classes.big.split(' ')).toHaveLength(3);
    expect(css).toContain(`.${baseClasses.base} {`);
    expect(css).toContain('.plain {');
    expect(files.sort()).toEqual([base, file, plain].sort());
  });

  it('rewrites relative url() to root-absolute URLs (the CSS lands in a <style>)', async () => {
    const file = await write('src/styles/a.module.css', '.a { background: url(./img.png); }\n.b { background: url(../up.png); }\n.c { background: url(data:image/png;base64,AA==); }');
    const { css } = await bundleCssModule(file, '/src/styles/a.module.css');
    expect(css).toContain('url(/src/styles/img.png)');
    expect(css).toContain('url(/src/up.png)');
    expect(css).toContain('url(data:image/png;base64,AA==)');
    const plain = await write('src/styles/p.css', '.p { background: url(img.png); }');
    expect((await bundleCss(plain, '/src/styles/p.css')).css).toContain('url(/src/styles/img.png)');
  });

  it('reports an unresolved composes source with the file, line and a frame', async () => {
    const file = await write('src/bad.module.css', '.x {\n  color: red;\n  composes: y from "./missing.module.css";\n}\n');
    const error = await bundleCssModule(file, '/src/bad.module.css').then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDevServerError(error)).toBe(true);
    if (!isDevServerError(error)) return;
    expect(error.message).toContain('./missing.module.css');
    expect(error.details.file).toBe(file);
    expect(error.details.loc?.line).toBe(3);
    expect(error.details.frame).toContain('> 3 |');
  });
});

interface FakeHot {
  accepts: Array<(next: { default: Record<string, string> } | undefined) => void>;
  prunes: Array<() => void>;
  invalidated: Array<string | undefined>;
}

/** Runs a generated CSS module (as CommonJS) with a fake style helper and `import.meta.hot`. */
async function runModule(source: string, styles: Map<string, string>) {
  const hot: FakeHot & Record<string, unknown> = { accepts: [], prunes: [], invalidated: [] };
  hot.accept = (cb: FakeHot['accepts'][number]) => hot.accepts.push(cb);
  hot.prune = (cb: () => void) => hot.prunes.push(cb);
  hot.invalidate = (message?: string) => hot.invalidated.push(message);
  const { code } = await transform(source, { format: 'cjs', define: { 'import.meta.hot': '__hot' }, loader: 'js' });
  const helper = { updateStyle: (id: string, css: string) => styles.set(id, css), removeStyle: (id: string) => styles.delete(id) };
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', '__hot', code)(() => helper, module, module.exports, hot);
  return { exports: module.exports as { default: Record<string, string> } & Record<string, unknown>, hot };
}

describe('scopedCssModuleSource', () => {
  const id = '/src/a.module.css';

  it('exports the map as default and valid identifiers as named exports', async () => {
    const source = scopedCssModuleSource(id, '.x{}', { title: 'a_1_title', 'my-box': 'a_1_my-box', default: 'a_1_default', class: 'a_1_class' });
    const info = await transformScript(source, { id, filename: '/root/src/a.module.css.js', lang: 'js' });
    expect(info.exports.sort()).toEqual(['default', 'title']);
    const styles = new Map<string, string>();
    const { exports } = await runModule(source, styles);
    expect(exports.default['my-box']).toBe('a_1_my-box');
    expect(exports.title).toBe('a_1_title');
    expect(styles.get(id)).toBe('.x{}');
  });

  it('swaps only the CSS when the class map is unchanged, invalidates when it changed', async () => {
    const styles = new Map<string, string>();
    const old = await runModule(scopedCssModuleSource(id, '.a_1_t{color:red}', { t: 'a_1_t', u: 'a_1_u' }), styles);
    const same = await runModule(scopedCssModuleSource(id, '.a_1_t{color:blue}', { u: 'a_1_u', t: 'a_1_t' }), styles);
    expect(styles.get(id)).toBe('.a_1_t{color:blue}');
    old.hot.accepts.forEach((cb) => cb(same.exports));
    expect(old.hot.invalidated).toEqual([]);

    const renamed = await runModule(scopedCssModuleSource(id, '.a_1_v{color:blue}', { v: 'a_1_v', u: 'a_1_u' }), styles);
    same.hot.accepts.forEach((cb) => cb(renamed.exports));
    expect(same.hot.invalidated).toEqual(['class names changed']);

    // A failed import (`undefined`) is not a class-name change.
    renamed.hot.accepts.forEach((cb) => cb(undefined));
    expect(renamed.hot.invalidated).toEqual([]);
    // Removing the style when nothing imports the module any more is the runtime's job.
    expect(renamed.hot.prunes).toEqual([]);
  });
});

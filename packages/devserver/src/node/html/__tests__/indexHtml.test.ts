import { describe, expect, it } from 'vitest';
import { transformIndexHtml, scriptJson } from '../indexHtml.js';

const boot = { token: 't', buildId: 'b', base: '/', env: {}, overlay: true, wsPath: '/ws', subprotocol: 'p', page: '/index.html' };

describe('transformIndexHtml', () => {
  it('starts the runtime first and turns module entries into registry loads in order', () => {
    const out = transformIndexHtml(
      '<html><head><title>x</title></head><body><script type="module" src="/src/a.ts"></script><script src="/classic.js"></script><script type="module">import "./b";</script></body></html>',
      '/index.html',
      boot,
      (src) => src,
    );
    expect(out.entries).toEqual(['/src/a.ts', '/index.html?inline=0']);
    expect(out.inlineScripts.get('/index.html?inline=0')).toBe('import "./b";');
    expect(out.html.indexOf('start(')).toBeLessThan(out.html.indexOf('load("/src/a.ts")'));
    expect(out.html).toContain('<script src="/classic.js"></script>');
    expect(out.html).not.toContain('src="/src/a.ts"');
  });

  it('ignores scripts inside comments', () => {
    const out = transformIndexHtml('<!-- <script type="module" src="/old.ts"></script> --><script type="module" src="/new.ts"></script>', '/index.html', boot, (s) => s);
    expect(out.entries).toEqual(['/new.ts']);
  });

  it('never lets injected data close the script element', () => {
    expect(scriptJson({ x: '</script><script>alert(1)</script>' })).not.toContain('</script>');
  });
});

describe('rebaseUrls', () => {
  it('puts root-absolute URLs of the page under the base, once', async () => {
    const { rebaseUrls } = await import('../indexHtml.js');
    expect(rebaseUrls('<link rel="stylesheet" href="/src/a.css"><img src=\'/logo.svg\'><a href="//cdn/x"></a><img src="/app/b.png">', '/app/')).toBe(
      '<link rel="stylesheet" href="/app/src/a.css"><img src=\'/app/logo.svg\'><a href="//cdn/x"></a><img src="/app/b.png">',
    );
  });
});

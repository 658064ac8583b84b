/**
 * The fixture of the end-to-end security suite: a temp project that is its own workspace
 * root (it holds pnpm-workspace.yaml, so the default allowed root is exactly the project),
 * with canary secrets inside it (on the deny list) and outside it (a sibling folder and
 * the temp parent), symlinks that point out, and a few source files whose imports reach
 * for outside or denied files (CSS `@import`, JSON, `?raw`, source maps). Every canary
 * holds its own random token; `tokens` lists them for the leak checks.
 *
 *   <tmp>/secret.txt                        canary next to the project
 *   <tmp>/outside/secret.{txt,css,json,js}, page.html   canaries in a sibling folder
 *   <tmp>/outside/bad.css                   a canary on the line of a CSS syntax error
 *   <tmp>/outside/secret.js.map             a source map with a canary in sourcesContent
 *   <tmp>/project/                          the root (pnpm-workspace.yaml)
 *     index.html, src/main.ts, src/util.ts, src/style.css, assets/logo.svg,
 *     public/public-file.txt                files that must be served (positive controls)
 *     .env, .env.local, certs/server.key, id.pem, .npmrc, .git/config, .git/hooks/pre-commit.js
 *                                           denied canaries
 *     linked.txt, linked-dir, linked.css, public/linked.txt, src/linked.ts symlinks out
 *     src/evil*.css, src/json-out.ts, src/raw-out.ts, src/mapped*.js       reach outside
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SecurityFixture {
  tmp: string;
  root: string;
  outside: string;
  /** Every canary token (random hex); none may come back in any response, in any encoding. */
  tokens: string[];
  /** Token of each canary file, by path relative to `tmp`. */
  tokenOf: Record<string, string>;
  /** Contents of files that must be served, for the positive controls. */
  publicText: string;
  assetText: string;
  cleanup(): void;
}

export function createSecurityFixture(): SecurityFixture {
  const tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'devserver-sec-e2e-')));
  const root = path.join(tmp, 'project');
  const outside = path.join(tmp, 'outside');
  const tokens: string[] = [];
  const tokenOf: Record<string, string> = {};
  const write = (rel: string, content: string): void => {
    const file = path.join(tmp, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  };
  /** Writes a canary file; `wrap` places the token inside realistic content. */
  const canary = (rel: string, wrap: (token: string) => string): string => {
    const token = randomBytes(16).toString('hex');
    tokens.push(token);
    tokenOf[rel] = token;
    write(rel, wrap(token));
    return token;
  };

  canary('secret.txt', (t) => `next to the project ${t}\n`);
  canary('outside/secret.txt', (t) => `outside secret ${t}\n`);
  canary('outside/secret.css', (t) => `.secret { content: "${t}"; }\n`);
  canary('outside/bad.css', (t) => `.a { color: red; }\n.b { ${t} !!! {{ ; \n`);
  canary('outside/secret.json', (t) => `{ "secret": "${t}" }\n`);
  canary('outside/secret.js', (t) => `export const secret = "${t}";\n`);
  canary('outside/page.html', (t) => `<!doctype html><p>${t}</p>\n`);
  const mapToken = canary('outside/secret.js.map', (t) =>
    JSON.stringify({ version: 3, sources: ['secret-source.ts'], sourcesContent: [`const s = "${t}";`], names: [], mappings: 'AAAA' }),
  );
  void mapToken;

  write('project/pnpm-workspace.yaml', 'packages: []\n');
  write('project/package.json', JSON.stringify({ name: 'sec-fixture', private: true, type: 'module' }));
  canary('project/.env', (t) => `API_KEY=${t}\n`);
  canary('project/.env.local', (t) => `LOCAL_KEY=${t}\n`);
  canary('project/certs/server.key', (t) => `-----BEGIN PRIVATE KEY-----\n${t}\n-----END PRIVATE KEY-----\n`);
  canary('project/id.pem', (t) => `-----BEGIN CERTIFICATE-----\n${t}\n-----END CERTIFICATE-----\n`);
  canary('project/.npmrc', (t) => `//registry.npmjs.org/:_authToken=${t}\n`);
  canary('project/.git/config', (t) => `[remote "origin"]\n\turl = https://user:${t}@example.com/repo.git\n`);
  canary('project/.git/hooks/pre-commit.js', (t) => `// ${t}\nexport {};\n`);

  const publicText = `public file ${randomBytes(4).toString('hex')}\n`;
  const assetText = `<svg xmlns="http://www.w3.org/2000/svg"><!-- ${randomBytes(4).toString('hex')} --></svg>\n`;
  write('project/public/public-file.txt', publicText);
  write('project/assets/logo.svg', assetText);
  write(
    'project/index.html',
    '<!doctype html>\n<html><head><title>fixture</title></head>\n<body><div id="app"></div>\n' +
      '<script type="module" src="/src/main.ts"></script>\n</body></html>\n',
  );
  write('project/src/main.ts', "import { util } from './util.ts';\nimport './style.css';\nexport const main: string = util + '!';\n");
  write('project/src/util.ts', "export const util: string = 'util';\n");
  write('project/src/style.css', 'body { color: rebeccapurple; }\n');

  // Sources that reach for outside or denied files: none of those bytes may be served.
  write('project/src/evil-outside.css', '@import "../../outside/secret.css";\n.x { color: red; }\n');
  write('project/src/evil-symlink.css', '@import "../linked.css";\n.x { color: red; }\n');
  write('project/src/evil-abs.css', `@import "${path.join(outside, 'secret.css')}";\n.x { color: red; }\n`);
  write('project/src/evil-env.css', '@import "../.env";\n.x { color: red; }\n');
  write('project/src/evil-bad.css', '@import "../../outside/bad.css";\n');
  write('project/src/css-out.ts', "import css from './evil-outside.css';\nexport default css;\n");
  write('project/src/json-out.ts', "import data from '../../outside/secret.json';\nexport default data;\n");
  write('project/src/raw-out.ts', "import text from '../../outside/secret.txt?raw';\nexport default text;\n");
  write('project/src/raw-env.ts', "import text from '../.env?raw';\nexport default text;\n");
  write('project/src/url-out.ts', "import url from '../../outside/secret.txt?url';\nexport default url;\n");
  write('project/src/inline-env.ts', "import text from '../.env?inline';\nexport default text;\n");
  // Source maps that point outside the root (class 4): by URL, and inline with no content.
  write('project/src/mapped.js', `export const m = 1;\n//# sourceMappingURL=${path.join(outside, 'secret.js.map')}\n`);
  write(
    'project/src/mapped-rel.js',
    'export const m = 2;\n//# sourceMappingURL=../../outside/secret.js.map\n',
  );
  const inlineMap = Buffer.from(
    JSON.stringify({ version: 3, sources: ['../../outside/secret.txt', '../.env'], names: [], mappings: 'AAAA' }),
  ).toString('base64');
  write('project/src/mapped-inline.js', `export const m = 3;\n//# sourceMappingURL=data:application/json;base64,${inlineMap}\n`);
  write(
    'project/src/mapped-sibling.js.map',
    JSON.stringify({ version: 3, sources: ['../../outside/secret.txt', '../.env'], names: [], mappings: 'AAAA' }),
  );
  write('project/src/mapped-sibling.js', 'export const m = 4;\n//# sourceMappingURL=mapped-sibling.js.map\n');

  symlinkSync('../outside/secret.txt', path.join(root, 'linked.txt'));
  symlinkSync('../outside', path.join(root, 'linked-dir'));
  symlinkSync('../outside/secret.css', path.join(root, 'linked.css'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'public', 'linked.txt'));
  symlinkSync('../../outside/secret.js', path.join(root, 'src', 'linked.ts'));
  symlinkSync('.env', path.join(root, 'innocent.txt'));

  return {
    tmp,
    root,
    outside,
    tokens,
    tokenOf,
    publicText,
    assetText,
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DevServerError } from '../../errors.js';
import { envFiles, loadEnv } from '../loadEnv.js';
import { expandValue, parseEnv } from '../parseEnv.js';
import { tempProject } from './helpers.js';

const values = (text: string) => Object.fromEntries([...parseEnv(text)].map(([k, v]) => [k, v.value]));

describe('parseEnv', () => {
  it('reads plain, exported, spaced, empty and commented entries', () => {
    const text = [
      '# a comment',
      'A=1',
      'export B=two',
      '  C = spaced value  ',
      'D=',
      'E=value # trailing comment',
      'F=a#b',
      'not a line',
      '=novalue',
      'G=last',
    ].join('\n');
    expect(values(text)).toEqual({ A: '1', B: 'two', C: 'spaced value', D: '', E: 'value', F: 'a#b', G: 'last' });
  });

  it('handles single, double and backtick quotes', () => {
    const text = [
      `S='single # not a comment'`,
      `D="double \\"quoted\\" \\n newline"`,
      'B=`back "tick" \'s`',
      `H="hash # inside" # comment after`,
      `U='unterminated`,
    ].join('\n');
    expect(values(text)).toEqual({
      S: 'single # not a comment',
      D: 'double "quoted" \n newline',
      B: 'back "tick" \'s',
      H: 'hash # inside',
      U: "'unterminated",
    });
  });

  it('reads multiline double-quoted values and CRLF files', () => {
    const text = 'KEY="-----BEGIN KEY-----\r\nabc\r\n-----END KEY-----"\r\nNEXT=1\r\n';
    expect(values(text)).toEqual({ KEY: '-----BEGIN KEY-----\nabc\n-----END KEY-----', NEXT: '1' });
  });

  it('marks single-quoted values as literal (no expansion)', () => {
    const parsed = parseEnv(`A='\${X}'\nB="\${X}"\nC=\${X}`);
    expect([...parsed.values()].map((e) => e.expand)).toEqual([false, true, true]);
  });

  it('expands ${VAR}, ${VAR:-default} and keeps \\$ literal', () => {
    const lookup = (name: string) => ({ HOST: 'example.com', EMPTY: '' })[name];
    expect(expandValue('https://${HOST}/x', lookup)).toBe('https://example.com/x');
    expect(expandValue('${MISSING:-fallback} ${EMPTY:-e} ${MISSING}.', lookup)).toBe('fallback e .');
    expect(expandValue('\\${HOST}', lookup)).toBe('${HOST}');
  });
});

describe('loadEnv', () => {
  it('lists the four files in priority order', () => {
    expect(envFiles('staging', '/app')).toEqual(
      ['.env', '.env.local', '.env.staging', '.env.staging.local'].map((f) => path.join('/app', f)),
    );
  });

  it('lets later files win and process.env win over all files', () => {
    const root = tempProject({
      '.env': 'DEVSERVER_A=env\nDEVSERVER_B=env\nDEVSERVER_C=env\nDEVSERVER_D=env\nDEVSERVER_P=env',
      '.env.local': 'DEVSERVER_B=local\nDEVSERVER_C=local\nDEVSERVER_D=local',
      '.env.staging': 'DEVSERVER_C=mode\nDEVSERVER_D=mode',
      '.env.staging.local': 'DEVSERVER_D=mode-local',
      '.env.production': 'DEVSERVER_A=wrong-mode',
    });
    const env = loadEnv('staging', root, ['DEVSERVER_'], { DEVSERVER_P: 'process', DEVSERVER_ONLY_PROCESS: 'p' });
    expect(env).toEqual({
      DEVSERVER_A: 'env',
      DEVSERVER_B: 'local',
      DEVSERVER_C: 'mode',
      DEVSERVER_D: 'mode-local',
      DEVSERVER_P: 'process',
      DEVSERVER_ONLY_PROCESS: 'p',
    });
  });

  it('never returns a variable without an allowed prefix, from files or process.env', () => {
    const root = tempProject({
      '.env': 'SECRET_TOKEN=hunter2\nDATABASE_URL=postgres://u:hunter2@db\nVITE_OK=1\nDEVSERVER_OK=2\nDEVSERVER_URL=${DATABASE_URL}',
      '.env.local': 'AWS_SECRET_ACCESS_KEY=hunter2',
    });
    const env = loadEnv('development', root, undefined, { HOME: '/home/x', NPM_TOKEN: 'hunter2', VITE_P: 'p' });
    expect(Object.keys(env).sort()).toEqual(['DEVSERVER_OK', 'DEVSERVER_URL', 'VITE_OK', 'VITE_P']);
    // Expansion is the user's explicit choice; the unprefixed source itself stays hidden.
    expect(env.DEVSERVER_URL).toBe('postgres://u:hunter2@db');
    expect(JSON.stringify(loadEnv('development', root, ['APP_'], {}))).not.toContain('hunter2');
  });

  it('expands references across files and from process.env', () => {
    const root = tempProject({
      '.env': 'BASE=http://localhost\nDEVSERVER_API=${BASE}/api\nDEVSERVER_HOME=${HOME}',
      '.env.local': 'BASE=http://override',
    });
    expect(loadEnv('development', root, ['DEVSERVER_'], { HOME: '/home/me' })).toEqual({
      DEVSERVER_API: 'http://override/api',
      DEVSERVER_HOME: '/home/me',
    });
  });

  it('survives self-referencing values', () => {
    const root = tempProject({ '.env': 'DEVSERVER_A=${DEVSERVER_B}\nDEVSERVER_B=${DEVSERVER_A}' });
    expect(() => loadEnv('development', root, ['DEVSERVER_'], {})).not.toThrow();
  });

  it('refuses an empty prefix and the mode "local"', () => {
    const root = tempProject();
    expect(() => loadEnv('development', root, [''], {})).toThrow(DevServerError);
    expect(() => loadEnv('development', root, [], {})).toThrow(/must not be empty/);
    expect(() => loadEnv('local', root, undefined, {})).toThrow(/mode "local" is not allowed/);
  });
});

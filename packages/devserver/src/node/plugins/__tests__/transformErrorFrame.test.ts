/**
 * A plugin's transform that fails with `this.error(message, { line, column })` gets a code
 * frame of the code it was given (the overlay and terminal show it like devserver's own
 * syntax errors); an error that brings its own frame, or has no location, is left alone.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { DevServerError, isDevServerError } from '../../errors.js';
import { createPluginContainer } from '../pluginContainer.js';
import type { Plugin } from '../types.js';

const logger = createLogger({ level: 'silent' });

async function failure(plugins: Plugin[], code: string): Promise<DevServerError> {
  const error = await createPluginContainer(plugins, logger).transform(code, '/app/src/App.svelte').then(
    () => null,
    (e: unknown) => e,
  );
  if (!isDevServerError(error)) throw new Error(`expected a DevServerError, got ${String(error)}`);
  return error;
}

describe('plugin transform errors', () => {
  it('get a code frame of the code the failing plugin was given', async () => {
    const upper: Plugin = { name: 'upper', transform: (code) => code.toUpperCase() };
    const compiler: Plugin = {
      name: 'compiler',
      transform(code) {
        this.error('Unexpected token', { line: 2, column: 5 });
      },
    };
    const error = await failure([upper, compiler], '<p>\n{a b}\n</p>\n');
    expect(error.code).toBe('ERR_PLUGIN');
    expect(error.details.plugin).toBe('compiler');
    expect(error.details.file).toBe('/app/src/App.svelte');
    expect(error.details.loc).toEqual({ line: 2, column: 5 });
    // The frame shows the text `compiler` received (upper-cased by the plugin before it).
    expect(error.details.frame).toContain('> 2 | {A B}');
    expect(error.details.frame).toMatch(/\n\s+\|\s{5}\^/);
  });

  it('keep a frame the plugin made and add none without a location', async () => {
    const framed: Plugin = {
      name: 'framed',
      transform() {
        throw new DevServerError('ERR_PLUGIN', 'bad', { loc: { line: 1, column: 1 }, frame: 'own frame' });
      },
    };
    expect((await failure([framed], 'x')).details.frame).toBe('own frame');
    const unlocated: Plugin = {
      name: 'unlocated',
      transform() {
        this.error('no location');
      },
    };
    expect((await failure([unlocated], 'x')).details.frame).toBeUndefined();
  });
});

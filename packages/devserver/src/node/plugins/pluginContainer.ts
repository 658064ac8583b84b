/**
 * Runs the plugins' module hooks in order (Rollup semantics): the first `resolveId` and
 * `load` that answer win, every `transform` runs in turn. Errors thrown inside a hook are
 * tagged with the plugin's name so the overlay and the terminal can say who failed.
 */
import { DevServerError, isDevServerError } from '../errors.js';
import { codeFrame } from '../transform/codeFrame.js';
import type { Logger } from '../logger.js';
import type { Plugin, PluginContext, TransformResult } from './types.js';

export interface PluginContainer {
  /** Runs every plugin's buildStart, once, before the server serves anything. */
  buildStart(): Promise<void>;
  /** Some plugin has a transform hook (so even non-script files may become modules). */
  readonly hasTransform: boolean;
  resolveId(source: string, importer: string | undefined): Promise<string | null>;
  load(id: string): Promise<TransformResult | null>;
  /**
   * Returns the transformed code, the source maps of the transforms that changed it and
   * returned one (last transform first), and the files plugins asked to watch. A transform
   * that changes the code without a map is taken to keep every line where it was (it only
   * appends, like @devserver/react's footer).
   */
  transform(code: string, id: string): Promise<{ code: string; maps: object[]; watchFiles: string[] }>;
}

export function createPluginContainer(plugins: Plugin[], logger: Logger): PluginContainer {
  const withResolve = plugins.filter((p) => p.resolveId);
  const withLoad = plugins.filter((p) => p.load);
  const withTransform = plugins.filter((p) => p.transform);

  function context(plugin: Plugin, watchFiles: string[]): PluginContext {
    return {
      resolve: async (source, importer) => {
        const id = await container.resolveId(source, importer);
        return id ? { id } : null;
      },
      warn: (message) => logger.warn(`[plugin ${plugin.name}] ${message}`),
      error: (message, loc) => {
        throw new DevServerError('ERR_PLUGIN', message, { plugin: plugin.name, loc });
      },
      addWatchFile: (file) => watchFiles.push(file),
    };
  }

  async function run<T>(plugin: Plugin, id: string, hook: () => Promise<T> | T): Promise<T> {
    try {
      return await hook();
    } catch (error) {
      if (isDevServerError(error)) {
        // `id` here is what plugins see (a path or a \0 id); the loader adds the module id.
        error.details.plugin ??= plugin.name;
        if (!id.startsWith('\0')) error.details.file ??= id;
        throw error;
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new DevServerError('ERR_PLUGIN', message, {
        plugin: plugin.name,
        file: id.startsWith('\0') ? undefined : id,
        cause: error,
      });
    }
  }

  const container: PluginContainer = {
    hasTransform: withTransform.length > 0,
    async buildStart() {
      for (const plugin of plugins) {
        if (plugin.buildStart) await run(plugin, '', () => plugin.buildStart!.call(context(plugin, [])));
      }
    },
    async resolveId(source, importer) {
      for (const plugin of withResolve) {
        const result = await run(plugin, source, () => plugin.resolveId!.call(context(plugin, []), source, importer));
        if (typeof result === 'string') return result;
        if (result && typeof result === 'object') return result.id;
      }
      return null;
    },
    async load(id) {
      for (const plugin of withLoad) {
        const result = await run(plugin, id, () => plugin.load!.call(context(plugin, []), id));
        if (typeof result === 'string') return { code: result };
        if (result) return result;
      }
      return null;
    },
    async transform(code, id) {
      const watchFiles: string[] = [];
      const maps: object[] = [];
      for (const plugin of withTransform) {
        const input = code;
        const result = await run(plugin, id, () => plugin.transform!.call(context(plugin, watchFiles), input, id)).catch((error: unknown) => {
          throw withFrame(error, input);
        });
        if (typeof result === 'string') code = result;
        else if (result) {
          const map = result.code !== input ? parseMap(result.map) : null;
          if (map) maps.unshift(map);
          code = result.code;
        }
      }
      return { code, maps, watchFiles };
    },
  };
  return container;
}

/**
 * A transform error located with `this.error(message, { line, column })` points into the
 * code that plugin was given: show that code around it, as for devserver's own syntax
 * errors (a compiler plugin, e.g. Svelte's, reports the line of the file as written).
 */
function withFrame(error: unknown, code: string): unknown {
  if (isDevServerError(error) && error.details.loc && !error.details.frame) {
    error.details.frame = codeFrame(code, error.details.loc.line, error.details.loc.column);
  }
  return error;
}

/** A transform's `map` (an object or its JSON), or null when it has none or it is unreadable. */
function parseMap(map: TransformResult['map']): object | null {
  if (!map) return null;
  if (typeof map === 'object') return map;
  try {
    const parsed: unknown = JSON.parse(map);
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

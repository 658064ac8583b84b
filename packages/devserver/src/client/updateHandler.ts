/**
 * Turns one (possibly merged) update manifest into what this tab does: HTML changes reload
 * the tab showing that page, `<link>` stylesheets are swapped, assets the document uses
 * reload, and changed modules this tab executed go through the update walk and the
 * applier. Modules the tab never loaded are ignored. A failed update shows the overlay and
 * its changes are retried with the next update; a page that never finished loading reloads
 * as soon as an update touches its graph.
 */
import type { ChangedModule, ClientMessage } from '../shared/protocol.js';
import { ModuleFailure, toErrorPayload, type ErrorState } from './errorState.js';
import type { FullReload } from './fullReload.js';
import type { HotEvents } from './hotEvents.js';
import { GraphError, type Loader } from './loader.js';
import type { UpdateMessage } from './messageQueue.js';
import { documentReferences, pageMatches, swapStylesheetLinks } from './page.js';
import { displayId } from './reloadReason.js';
import type { Registry } from './registry.js';
import type { RuntimeConsole } from './types.js';
import type { Transaction, UpdateApplier } from './updateApplier.js';
import { planUpdate } from './updateWalker.js';

export interface UpdateHandlerDeps {
  readonly registry: Registry;
  readonly applier: UpdateApplier;
  readonly loader: Loader;
  readonly errors: ErrorState;
  readonly events: HotEvents;
  readonly console: RuntimeConsole;
  readonly fullReload: FullReload;
  readonly document: Document | undefined;
  readonly origin: string;
  /** The HTML page this tab shows (config.page). */
  readonly page: string | undefined;
  pathname(): string;
  /** Ids of the graph of a load that failed: touching one reloads. */
  readonly broken: ReadonlySet<string>;
  /** Tells the server what took an update (for its terminal line). */
  send(message: ClientMessage): void;
}

export function createUpdateHandler(deps: UpdateHandlerDeps) {
  const { registry, errors } = deps;
  const failed = new Map<string, ChangedModule>();
  const outdatedLinks = new WeakSet<Element>();
  let current: Transaction | undefined;

  const swapLinks = (ids: ChangedModule[]) => {
    const doc = deps.document;
    if (!doc || !ids.length) return;
    const timestamp = Date.now();
    const swapped = ids.filter((c) => swapStylesheetLinks(doc, c.id, c.hash, deps.origin, outdatedLinks));
    if (!swapped.length) return;
    const payload = {
      type: 'update',
      updates: swapped.map((c) => ({
        type: 'css-update',
        path: c.id,
        acceptedPath: c.id,
        timestamp,
        explicitImportRequired: false,
        isWithinCircularImport: false,
      })),
    };
    deps.events.emitBuiltin('beforeUpdate', payload);
    deps.events.emitBuiltin('afterUpdate', payload);
  };

  /** Runs `work` as one transaction; failures go to the overlay and are retried later. */
  async function transact(work: (tx: Transaction) => Promise<void>, retry: ChangedModule[]) {
    const tx: Transaction = { pending: new Map(), invalidated: new Set() };
    current = tx;
    try {
      await work(tx);
    } catch (error) {
      for (const c of retry) failed.set(c.id, c);
      deps.console.error('[devserver] hot update failed:', error instanceof ModuleFailure ? error.original : error);
      errors.localErrors(
        error instanceof GraphError ? error.errors : [toErrorPayload(error, 'ERR_HMR_UPDATE', retry[0]?.id)],
      );
    } finally {
      current = undefined;
    }
  }

  function finish(result: Awaited<ReturnType<UpdateApplier['runRound']>>) {
    if (result.kind === 'reload') return deps.fullReload(result.reason);
    errors.clearLocal();
    if (result.callbackErrors.length) {
      for (const e of result.callbackErrors) deps.console.error('[devserver] an accept callback threw:', e);
      errors.localErrors(result.callbackErrors.map((e) => toErrorPayload(e, 'ERR_HMR_ACCEPT')));
    }
  }

  async function handleUpdate(msg: UpdateMessage): Promise<void> {
    const started = performance.now();
    const changed = new Map(failed);
    failed.clear();
    for (const c of msg.changed) changed.set(c.id, c);
    const js: ChangedModule[] = [];
    const links: ChangedModule[] = [];
    for (const c of changed.values()) {
      if (deps.broken.has(c.id)) {
        return deps.fullReload(`${displayId(c.id)} changed after the page failed to load`, c.id);
      }
      const rec = registry.get(c.id);
      if (c.kind === 'html') {
        if (pageMatches(c.id, deps.page, deps.pathname())) return deps.fullReload(`${displayId(c.id)} changed`, c.id);
        continue;
      }
      if (c.kind === 'css') links.push(c);
      if (rec) {
        if (rec.hash !== c.hash || rec.state === 'errored') js.push(c);
      } else if (c.kind === 'asset' && deps.document && documentReferences(deps.document, c.id, deps.origin)) {
        return deps.fullReload(`${displayId(c.id)} changed and the page uses it`, c.id);
      }
    }
    swapLinks(links);
    if (!js.length) return;
    const plan = planUpdate(registry, js.map((c) => c.id));
    if (plan.kind === 'reload') return deps.fullReload(plan.reason, js[0].id);
    await transact(async (tx) => {
      const need = js.map((c) => c.id);
      // Payloads that came with the manifest save a round trip; fetch only what is missing.
      const hashes = new Map(js.map((c) => [c.id, c.hash]));
      const code = new Map((msg.modules ?? []).filter((m) => hashes.get(m.id) === m.hash).map((m) => [m.id, m]));
      const missing = need.filter((id) => !code.has(id));
      if (missing.length) for (const m of (await deps.loader.fetchModules(missing)).modules) code.set(m.id, m);
      for (const id of need) if (!code.has(id)) throw new Error(`[devserver] the server sent no code for ${id}`);
      const result = await deps.applier.runRound(tx, plan, code);
      finish(result);
      if (result.kind === 'ok') {
        const boundaries = [...new Set(plan.boundaries.map((b) => b.id))];
        deps.send({ type: 'applied', seq: msg.seq, boundaries, ms: Math.round((performance.now() - started) * 10) / 10 });
      }
    }, js);
  }

  /** Invalidations asked for outside of an update (e.g. from a later async callback). */
  async function handleInvalidate(ids: string[]): Promise<void> {
    await transact(async (tx) => {
      for (const id of ids) tx.pending.set(id, undefined);
      finish(await deps.applier.nextRound(tx, []));
    }, []);
  }

  return {
    handleUpdate,
    handleInvalidate,
    /** The update being applied, which `invalidate()` calls join. */
    current: (): Transaction | undefined => current,
  };
}

export type UpdateHandler = ReturnType<typeof createUpdateHandler>;

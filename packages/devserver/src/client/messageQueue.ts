/**
 * Applies the server's sequenced messages strictly in `seq` order, one at a time: a message
 * that arrives while another is being applied waits, several queued updates are merged into
 * one (the page ends on the last saved content without running the versions in between),
 * and a message already applied or already queued (replayed after a reconnect) is dropped.
 * Invalidations from this tab are queued here too, so they never interleave with updates.
 */
import type { ChangedModule, ModulePayload, ServerMessage } from '../shared/protocol.js';

export type SeqMessage = Exclude<Extract<ServerMessage, { seq: number }>, { type: 'connected' }>;
export type UpdateMessage = Extract<ServerMessage, { type: 'update' }>;
export type QueueItem = SeqMessage | { type: 'invalidate'; ids: string[] };

export interface MessageQueueOptions {
  /** Sequence number already reflected by the page. */
  lastSeq: number;
  /** Applies one item (updates arrive merged). */
  handle(item: QueueItem): Promise<void>;
  /** Waited for before each item (e.g. the page's initial load). */
  before(): Promise<void>;
  onError(error: unknown): void;
}

/** Merges consecutive updates: union of changes, the latest version of each module wins. */
export function mergeUpdates(updates: UpdateMessage[]): UpdateMessage {
  const changed = new Map<string, ChangedModule>();
  const removed = new Set<string>();
  const modules = new Map<string, ModulePayload>();
  for (const u of updates) {
    for (const m of u.modules ?? []) modules.set(m.id, m);
    for (const c of u.changed) {
      changed.delete(c.id);
      changed.set(c.id, c);
      removed.delete(c.id);
    }
    for (const id of u.removed) {
      removed.add(id);
      changed.delete(id);
    }
  }
  const last = updates[updates.length - 1];
  return {
    ...last,
    eventAt: updates[0].eventAt,
    changed: [...changed.values()],
    removed: [...removed],
    modules: [...modules.values()].filter((m) => changed.get(m.id)?.hash === m.hash),
  };
}

export function createMessageQueue(options: MessageQueueOptions) {
  let lastSeq = options.lastSeq;
  const queue: QueueItem[] = [];
  let draining: Promise<void> | undefined;

  const take = (): QueueItem => {
    const first = queue.shift()!;
    if (first.type !== 'update') return first;
    const updates: UpdateMessage[] = [first];
    while (queue[0]?.type === 'update') updates.push(queue.shift() as UpdateMessage);
    return updates.length === 1 ? first : mergeUpdates(updates);
  };

  const drain = async () => {
    while (queue.length) {
      await options.before();
      const item = take();
      try {
        await options.handle(item);
      } catch (error) {
        options.onError(error);
      }
      if ('seq' in item) lastSeq = Math.max(lastSeq, item.seq);
    }
    draining = undefined;
  };

  const kick = () => {
    draining ??= drain();
  };

  return {
    push(msg: SeqMessage): void {
      if (msg.seq <= lastSeq || queue.some((q) => 'seq' in q && q.seq === msg.seq)) return;
      // keep sequenced messages sorted; local invalidations stay where they were queued
      let at = queue.length;
      while (at > 0) {
        const prev = queue[at - 1];
        if (!('seq' in prev) || prev.seq < msg.seq) break;
        at--;
      }
      queue.splice(at, 0, msg);
      kick();
    },
    pushLocal(item: Extract<QueueItem, { type: 'invalidate' }>): void {
      queue.push(item);
      kick();
    },
    /** Last sequence number applied (what `hello` reports). */
    lastSeq: (): number => lastSeq,
    /** Adopts the server's sequence number when the page did not know its own. */
    setLastSeq(seq: number): void {
      if (lastSeq < 0) lastSeq = seq;
    },
    /** Resolves once nothing is queued or being applied. */
    idle: (): Promise<void> => draining ?? Promise.resolve(),
  };
}

export type MessageQueue = ReturnType<typeof createMessageQueue>;

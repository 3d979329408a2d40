import { AsyncLocalStorage } from 'node:async_hooks';
import type { Storage, StoreItems } from 'botbuilder';
import { ETAG_MUST_NOT_EXIST, EtagConflictError } from './ports';

/**
 * botbuilder's BotState.saveChanges always writes with eTag '*', which would let two turns of one
 * conversation silently overwrite each other. Inside a turn scope this storage remembers the eTag
 * each key had when the turn read it and writes with that eTag instead, so a write based on stale
 * state is refused (EtagConflictError) and the turn can be run again.
 *
 * For stock BotState (the benchmark's echo floor). The careers bot's GuardedConversationState
 * keeps the same rule in its turn state instead: an AsyncLocalStorage scope puts promise hooks
 * on every promise in the process.
 */
const scope = new AsyncLocalStorage<Map<string, string>>();

export function runInEtagScope<T>(work: () => Promise<T>): Promise<T> {
  return scope.run(new Map(), work);
}

export function isEtagConflict(error: unknown): boolean {
  return error instanceof EtagConflictError || (error instanceof Error && /due to eTag conflict/.test(error.message));
}

export class EtagCarryingStorage implements Storage {
  constructor(private readonly inner: Storage) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    const seen = scope.getStore();
    if (seen) {
      for (const key of keys) {
        if (!seen.has(key)) seen.set(key, items[key]?.eTag ?? ETAG_MUST_NOT_EXIST);
      }
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const seen = scope.getStore();
    if (!seen) return this.inner.write(changes);
    const guarded: StoreItems = {};
    for (const [key, item] of Object.entries(changes)) {
      const carried = seen.get(key);
      guarded[key] = item?.eTag === '*' && carried ? { ...item, eTag: carried } : { ...item };
    }
    await this.inner.write(guarded);
    // Our stores report the new eTag on the written item, so a second save in the same turn
    // is checked against our own write rather than refused.
    for (const [key, item] of Object.entries(guarded)) {
      if (typeof item?.eTag === 'string' && item.eTag !== ETAG_MUST_NOT_EXIST) seen.set(key, item.eTag);
    }
  }

  async delete(keys: string[]): Promise<void> {
    await this.inner.delete(keys);
    const seen = scope.getStore();
    for (const key of keys) seen?.set(key, ETAG_MUST_NOT_EXIST);
  }
}

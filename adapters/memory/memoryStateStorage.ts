import type { StoreItems } from 'botbuilder';
import { ETAG_MUST_NOT_EXIST, EtagConflictError, type StateStorage } from '../../bot/ports';
import type { ExpiringMap } from './expiringMap';
import { randomHex } from '../randomHex';

export interface StoredItem {
  json: string;
  eTag: string;
}

/** The same eTag rules as the Redis store's Lua script, checked against what is stored now. */
function accepts(eTag: unknown, current: StoredItem | undefined): boolean {
  if (eTag === ETAG_MUST_NOT_EXIST) return current === undefined;
  if (!eTag || eTag === '*') return true;
  return current !== undefined && current.eTag === eTag;
}

/**
 * botbuilder Storage in this process with the Redis store's contract. Items are kept as JSON, so
 * neither the writer nor a reader can change what is stored by changing its object later.
 */
export class MemoryStateStorage implements StateStorage {
  constructor(private readonly items: ExpiringMap<StoredItem>) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const found: StoreItems = {};
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) found[key] = { ...JSON.parse(item.json), eTag: item.eTag };
    }
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    let conflict: EtagConflictError | undefined;
    // Like MemoryStorage and the Redis pipeline: the other keys are still written, then the write rejects.
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...value } = change ?? {};
      if (!accepts(eTag, this.items.get(key))) {
        conflict ??= new EtagConflictError(key);
        continue;
      }
      // Random, never a counter, exactly as in Redis.
      const fresh = randomHex(8);
      this.items.set(key, { json: JSON.stringify(value), eTag: fresh });
      // Reported on the written item, as the Redis store does (a turn's commit returns it).
      if (change && !Object.isFrozen(change)) change.eTag = fresh;
    }
    if (conflict) throw conflict;
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    for (const key of keys) this.items.delete(key);
  }

  async ping(): Promise<void> {}
}

import type { RedisKeys } from './keys';
import type { RedisClient } from './redisClient';
import type { StoreItem, StoreItems } from 'botbuilder';
import { EtagConflictError, type StateStorage } from '../../bot/ports';
import { redisUnavailable, withTimeout } from './redisErrors';
import { writeMode, type WriteMode } from './scripts';
import { randomHex } from '../randomHex';

/** A state item's compare-and-set, ready to send alone or inside a turn's commit (casWriteLua's KEYS[1] and ARGV[1] to ARGV[5]). */
export interface PreparedWrite {
  key: string;
  args: [mode: WriteMode, expected: string, value: string, eTag: string, ttlMs: number];
  /** the item's eTag once written */
  eTag: string;
}

/**
 * botbuilder Storage on Redis with MemoryStorage's contract: eTag '*' or none overwrites, a
 * matching eTag writes, anything else is refused; a given eTag for a missing key and
 * ETAG_MUST_NOT_EXIST for a present one are refused too. Each item is a hash {v: value, e: eTag},
 * the value its plain JSON; the compare-and-set is one
 * Lua script (casWrite), and every write renews the retention TTL. A turn's commit
 * (RedisTurnCommits) runs the same compare-and-set with the turn's replies and transcript lines.
 */
export class RedisStateStorage implements StateStorage {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {}

  private key(key: string): string {
    return this.keys.state(key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    // Plain commands, not a Pipeline: a Pipeline object is costly to make (it copies every defined
    // script), and commands go out without waiting for each other's replies anyway.
    const fields = await Promise.all(keys.map((key) => this.client.hmget(this.key(key), 'v', 'e')));
    const found: StoreItems = {};
    keys.forEach((key, index) => {
      const [json, eTag] = Array.isArray(fields[index]) ? fields[index] : [];
      if (typeof json !== 'string') return;
      const item: unknown = JSON.parse(json);
      if (!isPlainRecord(item)) return;
      item.eTag = eTag ?? undefined;
      found[key] = item;
    });
    return found;
  }

  /** The compare-and-set of `item` (its own eTag left out of the value) against `eTag`, as writeMode reads it. */
  prepareWrite(key: string, item: StoreItem | undefined, eTag: unknown): PreparedWrite {
    // Random, never a counter: a counter could come back to a value a stale writer still holds.
    const fresh = randomHex(8);
    return { key: this.key(key), args: [writeMode(eTag), String(eTag ?? ''), withoutEtag(item), fresh, this.ttlMs], eTag: fresh };
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const writes = entries.map(([key, change]) => this.prepareWrite(key, change, change?.eTag));
    const written = await Promise.all(writes.map(({ key, args }) => this.client.casWrite(key, ...args)));
    let conflict: EtagConflictError | undefined;
    entries.forEach(([key, change], index) => {
      if (written[index] !== 1) conflict ??= new EtagConflictError(key);
      // Reported on the written item, as a botbuilder Storage may: a second write can carry it.
      else if (change && !Object.isFrozen(change)) change.eTag = writes[index].eTag;
    });
    if (conflict) throw conflict;
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    // One DEL per key: on a cluster, the keys of different conversations are in different slots.
    await Promise.all(keys.map((key) => this.client.del(this.key(key))));
  }

  async ping(): Promise<void> {
    try {
      // Shorter than commandTimeout: a readiness probe must answer well within its own deadline.
      await withTimeout(this.client.ping(), 1500, 'PING');
    } catch (error) {
      throw redisUnavailable(error);
    }
  }
}

/** The JSON of an item without its eTag (which is kept beside it). */
function withoutEtag(change: StoreItem | undefined): string {
  const { eTag: _kept, ...value } = change ?? {};
  return JSON.stringify(value);
}

function isPlainRecord(value: unknown): value is StoreItem {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

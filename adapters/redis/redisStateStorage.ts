import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoreItems } from 'botbuilder';
import { carriedJson, carryJson, EtagConflictError, READ_JSON, WRITE_JSON, type StateStorage } from '../../bot/ports';
import { redisUnavailable, withTimeout } from './redisErrors';
import { writeMode } from './scripts';
import { decodeState, encodeState } from './stateCodec';

/**
 * botbuilder Storage on Redis with MemoryStorage's contract: eTag '*' or none overwrites, a
 * matching eTag writes, anything else is refused; a given eTag for a missing key and
 * ETAG_MUST_NOT_EXIST for a present one are refused too. Each item is a hash {v: value, e: eTag},
 * the value its JSON, deflated when large (see stateCodec);
 * the compare-and-set is one Lua script, and every write renews the retention TTL.
 */
export class RedisStateStorage implements StateStorage {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(key: string): string {
    return `${this.prefix}state:${key}`;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    // Plain commands, not a Pipeline: a Pipeline object is costly to make (it copies every defined
    // script), and commands go out without waiting for each other's replies anyway.
    const fields = await Promise.all(keys.map((key) => this.client.hmgetBuffer(this.key(key), 'v', 'e')));
    const found: StoreItems = {};
    keys.forEach((key, index) => {
      const [value, eTag] = Array.isArray(fields[index]) ? fields[index] : [];
      if (!Buffer.isBuffer(value)) return;
      const json = decodeState(value);
      const item = { ...JSON.parse(json), eTag: Buffer.isBuffer(eTag) ? eTag.toString('utf8') : eTag };
      // the text as read, so the bot's state need not stringify the item again to see later whether it changed
      carryJson(item, READ_JSON, json);
      found[key] = item;
    });
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    // Random, never a counter: a counter could come back to a value a stale writer still holds.
    const fresh = entries.map(() => randomBytes(8).toString('hex'));
    const written = await Promise.all(
      entries.map(([key, change], index) => {
        const { eTag, ...value } = change ?? {};
        // The bot's state hands over the text it has just made of this item (see WRITE_JSON).
        const json = carriedJson(change, WRITE_JSON) ?? JSON.stringify(value);
        return this.client.casWrite(this.key(key), writeMode(eTag), String(eTag ?? ''), encodeState(json), fresh[index], this.ttlMs);
      }),
    );
    let conflict: EtagConflictError | undefined;
    entries.forEach(([key, change], index) => {
      if (written[index] !== 1) conflict ??= new EtagConflictError(key);
      // Report the new eTag on the written item, so a second save in the same turn can carry it
      // (bot/guardedConversationState relies on this).
      else if (change && !Object.isFrozen(change)) change.eTag = fresh[index];
    });
    if (conflict) throw conflict;
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length > 0) await this.client.del(...keys.map((key) => this.key(key)));
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

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { StoreItems } from 'botbuilder';
import { EtagConflictError, type StateStorage } from '../../bot/ports';
import { redisUnavailable } from './redisErrors';

/**
 * botbuilder Storage on Redis with MemoryStorage's contract: eTag '*' or none overwrites, a
 * matching eTag writes, anything else is refused. Each item is a hash {v: JSON, e: eTag}; the
 * compare-and-set is one Lua script, and every write renews the retention TTL.
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
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.hmget(this.key(key), 'v', 'e');
    const results = (await pipeline.exec()) ?? [];
    const found: StoreItems = {};
    keys.forEach((key, index) => {
      const [error, fields] = results[index] ?? [];
      if (error) throw error;
      if (Array.isArray(fields) && typeof fields[0] === 'string') found[key] = { ...JSON.parse(fields[0]), eTag: fields[1] };
    });
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    const pipeline = this.client.pipeline();
    const next: string[] = [];
    for (const [key, change] of entries) {
      const { eTag, ...value } = change ?? {};
      const expected = eTag === undefined || eTag === '*' ? '' : String(eTag);
      const fresh = randomBytes(8).toString('hex');
      next.push(fresh);
      pipeline.casWrite(this.key(key), expected, JSON.stringify(value), fresh, this.ttlMs);
    }
    const results = (await pipeline.exec()) ?? [];
    entries.forEach(([key, change], index) => {
      const [error, written] = results[index] ?? [];
      if (error) throw error;
      if (written !== 1) throw new EtagConflictError(key);
      // Report the new eTag on the written item, so a second save in the same turn can carry it.
      if (change) change.eTag = next[index];
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.client.del(...keys.map((key) => this.key(key)));
  }

  async ping(): Promise<void> {
    try {
      await this.client.ping();
    } catch (error) {
      throw redisUnavailable(error);
    }
  }
}

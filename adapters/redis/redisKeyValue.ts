import type { RedisKeys } from './keys';
import type { RedisClient } from './redisClient';
import type { KeyValueStore } from '../../bot/ports';

/** The key-value store on Redis: every key under the prefix and with its own TTL. */
export class RedisKeyValue implements KeyValueStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  private key(key: string): string {
    return this.keys.keyValue(key);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.key(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(this.key(key), value, 'PX', ttlMs);
  }

  async delete(key: string): Promise<void> {
    await this.client.del(this.key(key));
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const full = this.key(key);
    const results = await this.client.multi().incr(full).pexpire(full, ttlMs, 'NX').exec();
    const [error, count] = results?.[0] ?? [new Error('KeyValueStore.increment(): the transaction was aborted'), 0];
    if (error) throw error;
    return Number(count);
  }

  async push(key: string, value: string, ttlMs: number): Promise<void> {
    const full = this.key(key);
    await this.client.multi().rpush(full, value).pexpire(full, ttlMs).exec();
  }

  list(key: string): Promise<string[]> {
    return this.client.lrange(this.key(key), 0, -1);
  }
}

import type { Result } from 'ioredis';
import type { RedisKeys } from './keys';
import type { RedisClient } from './redisClient';
import { MAX_PICKUPS_PER_WEEK, type InsightsStore, type WeekFigures } from '../../bot/ports';

/** Counts hold no personal data, so they are kept two years, well past RETENTION_DAYS. */
export const INSIGHTS_TTL_MS = 730 * 86_400_000;

/**
 * KEYS: counters hash. ARGV: ttl ms, then the fields to add one to. One script rather than a
 * MULTI of HINCRBYs and a PEXPIRE: the same atomic update as one command (MULTI costs the client
 * a transaction object and a reply per queued command on every turn that counts something).
 */
const INCREMENT_LUA = `
for i = 2, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    insightsIncrement(key: string, ttlMs: number, ...fields: string[]): Result<number, Context>;
  }
}

/**
 * Insights on Redis: a hash of counters per school and ISO week (HINCRBY) and a capped list of
 * pick-up times beside it, both with a two-year time-to-live.
 */
export class RedisInsights implements InsightsStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
  ) {
    client.defineCommand('insightsIncrement', { numberOfKeys: 1, lua: INCREMENT_LUA });
  }

  private countsKey(school: string, week: string): string {
    return this.keys.insightsCounts(school, week);
  }

  private pickupsKey(school: string, week: string): string {
    return this.keys.insightsPickups(school, week);
  }

  async increment(school: string, week: string, fields: readonly string[]): Promise<void> {
    if (fields.length === 0) return;
    await this.client.insightsIncrement(this.countsKey(school, week), INSIGHTS_TTL_MS, ...fields);
  }

  async addPickup(school: string, week: string, seconds: number): Promise<void> {
    const key = this.pickupsKey(school, week);
    await this.client
      .multi()
      .rpush(key, String(Math.max(0, Math.round(seconds))))
      .ltrim(key, -MAX_PICKUPS_PER_WEEK, -1)
      .pexpire(key, INSIGHTS_TTL_MS)
      .exec();
  }

  async read(school: string, week: string): Promise<WeekFigures> {
    const [counts, pickups] = await Promise.all([this.client.hgetall(this.countsKey(school, week)), this.client.lrange(this.pickupsKey(school, week), 0, -1)]);
    return {
      counts: Object.fromEntries(Object.entries(counts).map(([field, value]) => [field, Number(value)])),
      pickupSeconds: pickups.map(Number),
    };
  }
}

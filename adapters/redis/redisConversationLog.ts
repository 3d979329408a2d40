import type { Redis, Result } from 'ioredis';
import type { ConversationLog, ConversationMeta, StoredActivities } from '../../bot/ports';
import type { RedisChannels } from './redisChannels';

/** A watermark or limit from a request: negative, fractional or NaN values must not reach LRANGE. */
const count = (value: number, fallback: number): number => (Number.isFinite(value) ? Math.max(0, Math.floor(value)) : fallback);

function reply(results: [Error | null, unknown][] | null, index: number): unknown {
  const [error, value] = results?.[index] ?? [new Error('Redis returned no reply (transaction aborted)'), undefined];
  if (error) throw error;
  return value;
}

/**
 * KEYS: log, meta, ids. ARGV: ttl ms, channel, then (activity id or '', JSON) pairs. Appends
 * each activity whose id the conversation has not had yet, renews the TTLs and announces the
 * append, in one step. Returns {length, added}.
 */
const appendOnce = `
local added = 0
for i = 3, #ARGV, 2 do
  if ARGV[i] == '' or redis.call('HSETNX', KEYS[3], ARGV[i], '1') == 1 then
    redis.call('RPUSH', KEYS[1], ARGV[i + 1])
    added = added + 1
  end
end
if added > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
  if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[1]) end
  redis.call('PUBLISH', ARGV[2], '1')
end
return {redis.call('LLEN', KEYS[1]), added}`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    appendOnce(log: string, meta: string, ids: string, ttlMs: number, channel: string, ...idsAndJson: string[]): Result<[number, number], Context>;
  }
}

/**
 * Each web chat conversation: a meta hash and an activity list, both with the retention TTL,
 * and a hash of the activity ids in the list, so an append retried after a timeout or an outage
 * (at least once) puts each activity in the log once. Appends are announced on a pub/sub channel
 * so a stream on any instance hears of them.
 */
export class RedisConversationLog implements ConversationLog {
  constructor(
    private readonly client: Redis,
    private readonly channels: RedisChannels,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    client.defineCommand('appendOnce', { numberOfKeys: 3, lua: appendOnce });
  }

  private idsKey(id: string): string {
    return `${this.prefix}dl:${id}:ids`;
  }

  private metaKey(id: string): string {
    return `${this.prefix}dl:${id}:meta`;
  }

  private logKey(id: string): string {
    return `${this.prefix}dl:${id}:log`;
  }

  private channel(id: string): string {
    return `${this.prefix}dl:${id}:notify`;
  }

  async create(meta: ConversationMeta): Promise<void> {
    const created = await this.client.createMeta(
      this.metaKey(meta.conversationId),
      this.ttlMs,
      'conversationId', meta.conversationId,
      'userId', meta.userId,
      'createdAt', meta.createdAt,
      'started', meta.started ? '1' : '0',
    );
    if (created !== 1) throw new Error(`ConversationLog.create(): conversation ${meta.conversationId} already exists`);
  }

  async getMeta(conversationId: string): Promise<ConversationMeta | undefined> {
    const fields = await this.client.hgetall(this.metaKey(conversationId));
    if (!fields.conversationId) return undefined;
    return { conversationId: fields.conversationId, userId: fields.userId ?? '', createdAt: fields.createdAt ?? '', started: fields.started === '1' };
  }

  async markStarted(conversationId: string): Promise<boolean> {
    return (await this.client.markStarted(this.metaKey(conversationId))) === 1;
  }

  async append(conversationId: string, activities: Record<string, unknown>[]): Promise<number> {
    if (activities.length === 0) return this.client.llen(this.logKey(conversationId));
    const [length] = await this.appendEach(conversationId, activities);
    return length;
  }

  async appendIfNew(conversationId: string, activity: Record<string, unknown>): Promise<boolean> {
    const [, added] = await this.appendEach(conversationId, [activity]);
    return added > 0;
  }

  private appendEach(conversationId: string, activities: Record<string, unknown>[]): Promise<[number, number]> {
    const pairs = activities.flatMap((activity) => [typeof activity.id === 'string' ? activity.id : '', JSON.stringify(activity)]);
    return this.client.appendOnce(this.logKey(conversationId), this.metaKey(conversationId), this.idsKey(conversationId), this.ttlMs, this.channel(conversationId), ...pairs);
  }

  async read(conversationId: string, watermark: number, limit = 200): Promise<StoredActivities> {
    const from = count(watermark, 0);
    const take = count(limit, 200);
    const key = this.logKey(conversationId);
    const pipeline = this.client.pipeline().llen(key);
    // LRANGE from..from-1 would mean "everything" when from is 0, so a zero limit reads no range.
    if (take > 0) pipeline.lrange(key, from, from + take - 1);
    const results = await pipeline.exec();
    const length = Number(reply(results, 0));
    const items = take > 0 ? reply(results, 1) : [];
    if (!Array.isArray(items)) throw new Error('ConversationLog.read(): unexpected reply from Redis');
    if (from >= length) return { activities: [], watermark: length };
    const activities: Record<string, unknown>[] = items.map((json) => JSON.parse(String(json)));
    return { activities, watermark: from + activities.length };
  }

  subscribe(conversationId: string, listener: () => void): Promise<() => Promise<void>> {
    return this.channels.listen(this.channel(conversationId), listener);
  }

  async remove(conversationId: string): Promise<void> {
    await this.client.del(this.metaKey(conversationId), this.logKey(conversationId), this.idsKey(conversationId));
  }
}

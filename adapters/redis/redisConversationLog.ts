import type { Redis } from 'ioredis';
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
 * Each web chat conversation: a meta hash and an activity list, both with the retention TTL.
 * Appends are announced on a pub/sub channel so a stream on any instance hears of them.
 */
export class RedisConversationLog implements ConversationLog {
  constructor(
    private readonly client: Redis,
    private readonly channels: RedisChannels,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

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
      ...(meta.school ? ['school', meta.school] : []),
    );
    if (created !== 1) throw new Error(`ConversationLog.create(): conversation ${meta.conversationId} already exists`);
  }

  async getMeta(conversationId: string): Promise<ConversationMeta | undefined> {
    const fields = await this.client.hgetall(this.metaKey(conversationId));
    if (!fields.conversationId) return undefined;
    return {
      conversationId: fields.conversationId,
      userId: fields.userId ?? '',
      createdAt: fields.createdAt ?? '',
      started: fields.started === '1',
      ...(fields.school ? { school: fields.school } : {}),
    };
  }

  async markStarted(conversationId: string): Promise<boolean> {
    return (await this.client.markStarted(this.metaKey(conversationId))) === 1;
  }

  async append(conversationId: string, activities: Record<string, unknown>[]): Promise<number> {
    const log = this.logKey(conversationId);
    if (activities.length === 0) return this.client.llen(log);
    // One transaction: the list, both TTLs and the announcement; a listener that reads on the
    // message is sure to find the new activities.
    const results = await this.client
      .multi()
      .rpush(log, ...activities.map((activity) => JSON.stringify(activity)))
      .pexpire(log, this.ttlMs)
      .pexpire(this.metaKey(conversationId), this.ttlMs)
      .publish(this.channel(conversationId), '1')
      .exec();
    return Number(reply(results, 0));
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
    await this.client.del(this.metaKey(conversationId), this.logKey(conversationId));
  }
}

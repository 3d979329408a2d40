import type { Redis } from 'ioredis';
import type { ConversationLog, ConversationMeta, StoredActivities } from '../../bot/ports';

/**
 * Each web chat conversation: a meta hash and an activity list, both with the retention TTL.
 * Appends are announced on a pub/sub channel so a stream on any instance hears of them.
 */
export class RedisConversationLog implements ConversationLog {
  private subscriber?: Redis;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    private readonly client: Redis,
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
    const results = await this.client
      .multi()
      .rpush(this.logKey(conversationId), ...activities.map((activity) => JSON.stringify(activity)))
      .pexpire(this.logKey(conversationId), this.ttlMs)
      .pexpire(this.metaKey(conversationId), this.ttlMs)
      .publish(this.channel(conversationId), '1')
      .exec();
    const [error, length] = results?.[0] ?? [new Error('ConversationLog.append(): the transaction was aborted'), 0];
    if (error) throw error;
    return Number(length);
  }

  async read(conversationId: string, watermark: number, limit = 200): Promise<StoredActivities> {
    const key = this.logKey(conversationId);
    const results = (await this.client.pipeline().llen(key).lrange(key, watermark, watermark + limit - 1).exec()) ?? [];
    const [lengthError, length] = results[0] ?? [];
    const [rangeError, items] = results[1] ?? [];
    if (lengthError ?? rangeError) throw lengthError ?? rangeError;
    if (typeof length !== 'number' || !Array.isArray(items)) throw new Error('ConversationLog.read(): unexpected reply from Redis');
    if (watermark >= length) return { activities: [], watermark: length };
    const activities: Record<string, unknown>[] = items.map((json) => JSON.parse(String(json)));
    return { activities, watermark: watermark + activities.length };
  }

  async subscribe(conversationId: string, listener: () => void): Promise<() => Promise<void>> {
    const subscriber = this.ensureSubscriber();
    const channel = this.channel(conversationId);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await subscriber.subscribe(channel);
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(channel);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  async remove(conversationId: string): Promise<void> {
    await this.client.del(this.metaKey(conversationId), this.logKey(conversationId));
  }

  async close(): Promise<void> {
    if (this.subscriber) await this.subscriber.quit().catch(() => this.subscriber?.disconnect());
  }

  private ensureSubscriber(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.client.duplicate();
      this.subscriber.on('message', (channel: string) => {
        for (const listener of this.listeners.get(channel) ?? []) listener();
      });
      this.subscriber.on('error', () => undefined);
    }
    return this.subscriber;
  }
}

import type { RedisKeys } from './keys';
import type { RedisClient } from './redisClient';
import { z } from 'zod';
import { DEFAULT_SCHOOL_ID } from '../../knowledge/schoolsSchema';
import { PRIORITY_ORDER, type ClaimResult, type HandoffQueue, type HandoffRequest, type QueueItem, type TransferResult } from '../../bot/ports';

const StoredItem = z.object({
  conversationId: z.string(),
  priority: z.enum(['urgent', 'high', 'standard']),
  flags: z.array(z.string()),
  status: z.enum(['waiting', 'claimed']),
  waitingSince: z.string(),
  channel: z.string(),
  summary: z.string(),
  claimedBy: z.string().optional(),
  /** items queued before schools existed belong to the default school */
  school: z.string().default(DEFAULT_SCHOOL_ID),
  open: z.boolean(),
});

function parse(json: string): z.infer<typeof StoredItem> {
  return StoredItem.parse(JSON.parse(json));
}

function toQueueItem(stored: z.infer<typeof StoredItem>): QueueItem {
  const { open: _open, ...item } = stored;
  return item;
}

/**
 * The hand-off queue on Redis; every change is one Lua script, so it is atomic across instances.
 * Its keys share the `{queue}` hash tag (RedisKeys): on a cluster the scripts touch an item and the
 * open set together, and a list reads every open item in one MGET.
 */
export class RedisHandoffQueue implements HandoffQueue {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {}

  private itemKey(conversationId: string): string {
    return this.keys.queueItem(conversationId);
  }

  private get openKey(): string {
    return this.keys.queueOpen;
  }

  async enqueue(request: HandoffRequest): Promise<QueueItem> {
    const json = await this.client.queueEnqueue(
      this.itemKey(request.conversationId),
      this.openKey,
      request.conversationId,
      JSON.stringify(request.flags),
      PRIORITY_ORDER.indexOf(request.priority),
      request.priority,
      request.channel,
      request.summary,
      request.at.toISOString(),
      request.at.getTime(),
      this.ttlMs,
      request.school,
    );
    return toQueueItem(parse(json));
  }

  async list(): Promise<QueueItem[]> {
    const ids = await this.client.zrange(this.openKey, '0', '-1');
    if (ids.length === 0) return [];
    const raws = await this.client.mget(ids.map((id) => this.itemKey(id)));
    const items: QueueItem[] = [];
    const expired: string[] = [];
    raws.forEach((raw, index) => {
      const stored = raw ? parse(raw) : undefined;
      if (stored?.open) items.push(toQueueItem(stored));
      else expired.push(ids[index]);
    });
    // An item whose key reached its retention TTL leaves the open set too.
    if (expired.length > 0) await this.client.zrem(this.openKey, ...expired);
    return items;
  }

  async get(conversationId: string): Promise<QueueItem | undefined> {
    const raw = await this.client.get(this.itemKey(conversationId));
    const stored = raw ? parse(raw) : undefined;
    return stored?.open ? toQueueItem(stored) : undefined;
  }

  async claim(conversationId: string, adviser: string): Promise<ClaimResult> {
    const reply = await this.client.queueClaim(this.itemKey(conversationId), adviser, this.ttlMs);
    if (reply === 'not-found') return { ok: false, reason: 'not-found' };
    if (reply.startsWith('claimed:')) return { ok: false, reason: 'claimed', claimedBy: reply.slice('claimed:'.length) };
    return { ok: true, item: toQueueItem(parse(reply)) };
  }

  async transfer(conversationId: string, from: string, to: string | null): Promise<TransferResult> {
    const reply = await this.client.queueTransfer(this.itemKey(conversationId), from, to ?? '', this.ttlMs);
    if (reply === 'not-found') return { ok: false, reason: 'not-found' };
    if (reply.startsWith('not-held:')) {
      const holder = reply.slice('not-held:'.length);
      return { ok: false, reason: 'not-held', ...(holder ? { claimedBy: holder } : {}) };
    }
    return { ok: true, item: toQueueItem(parse(reply)) };
  }

  async close(conversationId: string): Promise<boolean> {
    return (await this.client.queueLeave(this.itemKey(conversationId), this.openKey, conversationId, 'close', this.ttlMs)) === 1;
  }

  async cancel(conversationId: string): Promise<boolean> {
    return (await this.client.queueLeave(this.itemKey(conversationId), this.openKey, conversationId, 'cancel', this.ttlMs)) === 1;
  }

  async remove(conversationId: string): Promise<void> {
    // One transaction: no instance can see the item gone but its place in the queue still there.
    const results = await this.client.multi().del(this.itemKey(conversationId)).zrem(this.openKey, conversationId).exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (!results || failed) throw failed ?? new Error('HandoffQueue.remove(): the transaction was aborted');
  }
}

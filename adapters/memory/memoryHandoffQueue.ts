import { PRIORITY_ORDER, type ClaimResult, type HandoffQueue, type HandoffRequest, type QueueItem, type TransferResult } from '../../bot/ports';
import type { ExpiringMap } from './expiringMap';

export interface StoredQueueItem extends QueueItem {
  open: boolean;
}

const rank = (item: QueueItem) => PRIORITY_ORDER.indexOf(item.priority);

/** The hand-off queue in process memory, with the Redis queue's rules. */
export class MemoryHandoffQueue implements HandoffQueue {
  constructor(private readonly items: ExpiringMap<StoredQueueItem>) {}

  async enqueue(request: HandoffRequest): Promise<QueueItem> {
    const existing = this.items.get(request.conversationId);
    const base: StoredQueueItem =
      existing && existing.open
        ? existing
        : {
            conversationId: request.conversationId,
            priority: request.priority,
            flags: [],
            status: 'waiting',
            waitingSince: request.at.toISOString(),
            channel: request.channel,
            summary: request.summary,
            school: request.school,
            open: true,
          };
    const flags = [...new Set([...base.flags, ...request.flags])];
    const priority = PRIORITY_ORDER[Math.min(PRIORITY_ORDER.indexOf(base.priority), PRIORITY_ORDER.indexOf(request.priority))];
    const item: StoredQueueItem = { ...base, flags, priority, summary: request.summary };
    this.items.set(request.conversationId, item);
    return publicItem(item);
  }

  async list(): Promise<QueueItem[]> {
    return this.items
      .values()
      .filter((item) => item.open)
      .sort((a, b) => rank(a) - rank(b) || a.waitingSince.localeCompare(b.waitingSince))
      .map(publicItem);
  }

  async get(conversationId: string): Promise<QueueItem | undefined> {
    const item = this.items.get(conversationId);
    return item?.open ? publicItem(item) : undefined;
  }

  async claim(conversationId: string, adviser: string): Promise<ClaimResult> {
    const item = this.items.get(conversationId);
    if (!item?.open) return { ok: false, reason: 'not-found' };
    if (item.status === 'claimed' && item.claimedBy !== adviser) return { ok: false, reason: 'claimed', claimedBy: item.claimedBy ?? '' };
    const claimed: StoredQueueItem = { ...item, status: 'claimed', claimedBy: adviser };
    this.items.set(conversationId, claimed);
    return { ok: true, item: publicItem(claimed) };
  }

  async transfer(conversationId: string, from: string, to: string | null): Promise<TransferResult> {
    const item = this.items.get(conversationId);
    if (!item?.open) return { ok: false, reason: 'not-found' };
    if (item.status !== 'claimed' || item.claimedBy !== from) return { ok: false, reason: 'not-held', ...(item.claimedBy ? { claimedBy: item.claimedBy } : {}) };
    const { claimedBy: _from, ...rest } = item;
    const moved: StoredQueueItem = to === null ? { ...rest, status: 'waiting' } : { ...rest, status: 'claimed', claimedBy: to };
    this.items.set(conversationId, moved);
    return { ok: true, item: publicItem(moved) };
  }

  async close(conversationId: string): Promise<boolean> {
    const item = this.items.get(conversationId);
    if (!item?.open) return false;
    this.items.set(conversationId, { ...item, open: false });
    return true;
  }

  async cancel(conversationId: string): Promise<boolean> {
    const item = this.items.get(conversationId);
    if (!item?.open || item.status !== 'waiting') return false;
    this.items.set(conversationId, { ...item, open: false });
    return true;
  }

  async remove(conversationId: string): Promise<void> {
    this.items.delete(conversationId);
  }
}

function publicItem(item: StoredQueueItem): QueueItem {
  const { open: _open, ...rest } = item;
  return structuredClone(rest);
}

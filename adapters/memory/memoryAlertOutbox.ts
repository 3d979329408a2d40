import type { AlertOutbox, AlertRef, AlertStats, OutboxEntry, SafeguardingAlert } from '../../bot/ports';
import { statsOf, type AlertCounters } from '../../bot/alerts/alertCounters';
import { ExpiringMap } from './expiringMap';

/**
 * The alert outbox in process memory, with the Redis outbox's rules: for one process without
 * Redis, and as the place an instance keeps alerts while Redis does not answer.
 */
export class MemoryAlertOutbox implements AlertOutbox {
  private readonly entries: ExpiringMap<OutboxEntry>;
  private readonly counters: ExpiringMap<AlertCounters>;
  /** pending alerts and when each is due (or leased until) */
  private readonly due = new Map<string, number>();

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.entries = new ExpiringMap(ttlMs, now);
    this.counters = new ExpiringMap(ttlMs, now);
  }

  async add(alert: SafeguardingAlert, dueMs: number, attempts = 0): Promise<boolean> {
    if (this.entries.get(alert.alertId)) return false;
    this.entries.set(alert.alertId, { alert: structuredClone(alert), status: 'pending', attempts });
    this.due.set(alert.alertId, dueMs);
    this.count(alert.conversationId, (counters) => ({ ...counters, raised: counters.raised + 1 }));
    return true;
  }

  async claimDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<OutboxEntry[]> {
    const claimed: OutboxEntry[] = [];
    const ready = [...this.due].filter(([, dueMs]) => dueMs <= nowMs).sort((a, b) => a[1] - b[1]);
    for (const [alertId] of ready) {
      if (claimed.length >= limit) break;
      const entry = this.entries.get(alertId);
      if (entry?.status !== 'pending') {
        this.due.delete(alertId);
        continue;
      }
      this.due.set(alertId, leaseUntilMs);
      claimed.push(structuredClone(entry));
    }
    return claimed;
  }

  async delivered({ alertId }: AlertRef, atIso: string): Promise<boolean> {
    const entry = this.finish(alertId, (pending) => ({ ...pending, status: 'delivered', deliveredAt: atIso }));
    if (entry) this.count(entry.alert.conversationId, (counters) => ({ ...counters, delivered: counters.delivered + 1, lastDeliveredAt: atIso }));
    return entry !== undefined;
  }

  async retryAt({ alertId }: AlertRef, dueMs: number, error: string): Promise<boolean> {
    const entry = this.entries.get(alertId);
    if (entry?.status !== 'pending') return false;
    this.entries.set(alertId, { ...entry, attempts: entry.attempts + 1, lastError: error });
    this.due.set(alertId, dueMs);
    return true;
  }

  async drop({ alertId }: AlertRef): Promise<boolean> {
    const entry = this.finish(alertId, (pending) => ({ ...pending, status: 'dropped' }));
    if (entry) this.count(entry.alert.conversationId, (counters) => ({ ...counters, dropped: counters.dropped + 1 }));
    return entry !== undefined;
  }

  async get(alertId: string): Promise<OutboxEntry | undefined> {
    const entry = this.entries.get(alertId);
    return entry ? structuredClone(entry) : undefined;
  }

  async stats(conversationIds: readonly string[]): Promise<Map<string, AlertStats>> {
    const stats = new Map<string, AlertStats>();
    for (const id of conversationIds) {
      const counters = this.counters.get(id);
      if (counters) stats.set(id, statsOf(counters));
    }
    return stats;
  }

  /** Whether an alert with this id is here, in any state. */
  has(alertId: string): boolean {
    return this.entries.get(alertId) !== undefined;
  }

  /** How many alerts are still pending. */
  pendingCount(): number {
    return [...this.due.keys()].filter((alertId) => this.entries.get(alertId)?.status === 'pending').length;
  }

  /** Forgets a pending alert that another outbox has taken over: gone from the figures too. */
  remove(alertId: string): void {
    const entry = this.entries.get(alertId);
    this.entries.delete(alertId);
    this.due.delete(alertId);
    if (entry?.status === 'pending') this.count(entry.alert.conversationId, (counters) => ({ ...counters, raised: counters.raised - 1 }));
  }

  sweep(): void {
    this.entries.sweep();
    this.counters.sweep();
    for (const alertId of this.due.keys()) if (!this.entries.get(alertId)) this.due.delete(alertId);
  }

  private finish(alertId: string, change: (entry: OutboxEntry) => OutboxEntry): OutboxEntry | undefined {
    const entry = this.entries.get(alertId);
    if (entry?.status !== 'pending') return undefined;
    this.entries.set(alertId, change(entry));
    this.due.delete(alertId);
    return entry;
  }

  private count(conversationId: string, change: (counters: AlertCounters) => AlertCounters): void {
    this.counters.set(conversationId, change(this.counters.get(conversationId) ?? { raised: 0, delivered: 0, dropped: 0 }));
  }
}

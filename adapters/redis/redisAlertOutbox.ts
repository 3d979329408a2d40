import type { RedisKeys } from './keys';
import type { RedisClient } from './redisClient';
import { z } from 'zod';
import type { AlertOutbox, AlertRef, AlertStats, OutboxEntry, SafeguardingAlert } from '../../bot/ports';
import { statsOf } from '../../bot/alerts/alertCounters';

const StoredAlert = z.object({
  type: z.enum(['safeguarding.alert', 'safeguarding.escalation']),
  alertId: z.string(),
  conversationId: z.string(),
  school: z.string(),
  flags: z.array(z.string()),
  priority: z.enum(['urgent', 'high', 'standard']),
  queuedAt: z.string(),
  outOfHours: z.boolean(),
  consoleUrl: z.string(),
  raisedAt: z.string(),
  escalation: z.number().optional(),
  waitedMinutes: z.number().optional(),
});

const StoredEntry = z.object({
  alert: z.string().transform((json, ctx) => {
    const parsed = StoredAlert.safeParse(JSON.parse(json));
    if (!parsed.success) ctx.addIssue({ code: 'custom', message: `alert: ${parsed.error.issues[0].message}` });
    return parsed.success ? parsed.data : z.NEVER;
  }),
  status: z.enum(['pending', 'delivered', 'dropped']),
  attempts: z.coerce.number().int(),
  lastError: z.string().optional(),
  deliveredAt: z.string().optional(),
});

const count = (value: string | undefined) => Number(value ?? 0) || 0;

/**
 * The alert outbox on Redis, shared by every instance: adding, leasing and finishing are each
 * one script, so two instances never both add or both lease one alert. Every key carries the
 * `{alerts}` hash tag, so on a Redis Cluster they share a slot and the scripts may touch several.
 */
export class RedisAlertOutbox implements AlertOutbox {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {}

  private entryKey(alertId: string): string {
    return this.keys.alert(alertId);
  }

  private get dueKey(): string {
    return this.keys.alertsDue;
  }

  private countersKey(conversationId: string): string {
    return this.keys.alertCounters(conversationId);
  }

  async add(alert: SafeguardingAlert, dueMs: number, attempts = 0): Promise<boolean> {
    const added = await this.client.alertAdd(
      this.entryKey(alert.alertId),
      this.dueKey,
      this.countersKey(alert.conversationId),
      JSON.stringify(alert),
      alert.alertId,
      Math.round(dueMs),
      this.ttlMs,
      attempts,
    );
    return added === 1;
  }

  async claimDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<OutboxEntry[]> {
    const ids = await this.client.alertClaim(this.dueKey, Math.floor(nowMs), Math.round(leaseUntilMs), limit);
    if (ids.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const id of ids) pipeline.hgetall(this.entryKey(id));
    const results = (await pipeline.exec()) ?? [];
    const claimed: OutboxEntry[] = [];
    const gone: string[] = [];
    ids.forEach((id, index) => {
      const [error, raw] = results[index] ?? [];
      if (error) throw error;
      const entry = this.parse(raw);
      if (entry?.status === 'pending') claimed.push(entry);
      else gone.push(id);
    });
    // An id whose entry reached its retention TTL (or was finished meanwhile) leaves the due set.
    if (gone.length > 0) await this.client.zrem(this.dueKey, ...gone);
    return claimed;
  }

  async delivered(alert: AlertRef, atIso: string): Promise<boolean> {
    return (await this.client.alertFinish(this.entryKey(alert.alertId), this.dueKey, this.countersKey(alert.conversationId), alert.alertId, 'delivered', atIso)) === 1;
  }

  async retryAt(alert: AlertRef, dueMs: number, error: string): Promise<boolean> {
    return (await this.client.alertRetry(this.entryKey(alert.alertId), this.dueKey, alert.alertId, Math.round(dueMs), error)) === 1;
  }

  async drop(alert: AlertRef): Promise<boolean> {
    return (await this.client.alertFinish(this.entryKey(alert.alertId), this.dueKey, this.countersKey(alert.conversationId), alert.alertId, 'dropped', '')) === 1;
  }

  async get(alertId: string): Promise<OutboxEntry | undefined> {
    return this.parse(await this.client.hgetall(this.entryKey(alertId)));
  }

  async stats(conversationIds: readonly string[]): Promise<Map<string, AlertStats>> {
    const stats = new Map<string, AlertStats>();
    if (conversationIds.length === 0) return stats;
    const pipeline = this.client.pipeline();
    for (const id of conversationIds) pipeline.hgetall(this.countersKey(id));
    const results = (await pipeline.exec()) ?? [];
    conversationIds.forEach((id, index) => {
      const [error, raw] = results[index] ?? [];
      if (error) throw error;
      const counters = z.record(z.string(), z.string()).parse(raw);
      if (!counters.raised) return;
      stats.set(id, statsOf({ raised: count(counters.raised), delivered: count(counters.delivered), dropped: count(counters.dropped), lastDeliveredAt: counters.lastDeliveredAt }));
    });
    return stats;
  }

  private parse(raw: unknown): OutboxEntry | undefined {
    const fields = z.record(z.string(), z.string()).parse(raw ?? {});
    if (!fields.alert) return undefined;
    const entry = StoredEntry.parse(fields);
    return {
      alert: entry.alert,
      status: entry.status,
      attempts: entry.attempts,
      ...(entry.lastError ? { lastError: entry.lastError } : {}),
      ...(entry.deliveredAt ? { deliveredAt: entry.deliveredAt } : {}),
    };
  }
}

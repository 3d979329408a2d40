import type { AlertOutbox, AlertRef, AlertStats, Logger, OutboxEntry, SafeguardingAlert } from '../../bot/ports';
import { errorMessage } from '../../bot/errorMessage';
import { MemoryAlertOutbox } from '../memory/memoryAlertOutbox';

/**
 * The shared outbox (Redis) with this process's memory behind it. An alert the shared outbox
 * cannot take (Redis down or frozen) is kept here and delivered from here, so a safeguarding alert
 * never waits for Redis; once Redis answers again, each such alert not being sent at that moment
 * is handed over to it, so it survives a restart of this process from then on.
 */
export class ResilientOutbox implements AlertOutbox {
  private readonly local: MemoryAlertOutbox;

  constructor(
    private readonly shared: AlertOutbox,
    ttlMs: number,
    private readonly logger: Logger,
    now: () => number = Date.now,
  ) {
    this.local = new MemoryAlertOutbox(ttlMs, now);
  }

  async add(alert: SafeguardingAlert, dueMs: number, attempts = 0): Promise<boolean> {
    // Kept here already (a retry of the request that made it): the same alert, not a new one.
    if (this.local.has(alert.alertId)) return false;
    try {
      return await this.shared.add(alert, dueMs, attempts);
    } catch (error) {
      this.logger.error('safeguarding alert kept in this process: the store did not take it', { alertId: alert.alertId, conversationId: alert.conversationId, error: errorMessage(error) });
      return this.local.add(alert, dueMs, attempts);
    }
  }

  async claimDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<OutboxEntry[]> {
    const kept = await this.local.claimDue(nowMs, leaseUntilMs, limit);
    let shared: OutboxEntry[] | undefined;
    try {
      shared = await this.shared.claimDue(nowMs, leaseUntilMs, limit);
    } catch (error) {
      if (kept.length > 0) this.logger.warn('safeguarding alerts: the store did not answer; sending the ones kept in this process', { kept: kept.length, error: errorMessage(error) });
    }
    const mine: OutboxEntry[] = [];
    for (const entry of kept) {
      if (shared && (await this.handOver(entry, nowMs))) continue;
      mine.push(entry);
    }
    return [...mine, ...(shared ?? [])];
  }

  delivered(alert: AlertRef, atIso: string): Promise<boolean> {
    return this.holder(alert).delivered(alert, atIso);
  }

  retryAt(alert: AlertRef, dueMs: number, error: string): Promise<boolean> {
    return this.holder(alert).retryAt(alert, dueMs, error);
  }

  drop(alert: AlertRef): Promise<boolean> {
    return this.holder(alert).drop(alert);
  }

  async get(alertId: string): Promise<OutboxEntry | undefined> {
    return (await this.local.get(alertId)) ?? this.shared.get(alertId);
  }

  async stats(conversationIds: readonly string[]): Promise<Map<string, AlertStats>> {
    const [shared, local] = await Promise.all([this.shared.stats(conversationIds).catch(() => new Map<string, AlertStats>()), this.local.stats(conversationIds)]);
    for (const [id, figures] of local) {
      const other = shared.get(id);
      const lastDeliveredAt = [other?.lastDeliveredAt, figures.lastDeliveredAt]
        .filter((value) => value !== undefined)
        .sort()
        .pop();
      shared.set(id, {
        sent: figures.sent + (other?.sent ?? 0),
        delivered: figures.delivered + (other?.delivered ?? 0),
        pending: figures.pending + (other?.pending ?? 0),
        ...(lastDeliveredAt ? { lastDeliveredAt } : {}),
      });
    }
    return shared;
  }

  /** How many alerts this process still holds undelivered (lost if it stops now). */
  keptCount(): number {
    return this.local.pendingCount();
  }

  /** The kept alert, leased to this process, goes to the shared outbox (due at once there); false if the store did not take it. */
  private async handOver(entry: OutboxEntry, nowMs: number): Promise<boolean> {
    try {
      await this.shared.add(entry.alert, nowMs, entry.attempts);
      this.local.remove(entry.alert.alertId);
      this.logger.warn('safeguarding alert kept in this process handed to the store', { alertId: entry.alert.alertId, conversationId: entry.alert.conversationId });
      return true;
    } catch {
      return false;
    }
  }

  private holder(alert: AlertRef): AlertOutbox {
    return this.local.has(alert.alertId) ? this.local : this.shared;
  }
}

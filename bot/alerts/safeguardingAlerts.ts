import { createHash } from 'node:crypto';
import type { AlertOutbox, Clock, HandoffQueue, HandoffRequest, Logger, QueueItem, SafeguardingAlert } from '../ports';
import type { SchoolDirectory } from '../schools/schoolDirectory';
import { errorMessage } from '../errorMessage';

/**
 * An alert's id from what makes it one alert: the same inputs give the same id on every instance
 * and every retry, so the outbox adds it once and receivers can de-duplicate on it.
 */
export function alertIdFor(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

export interface SafeguardingAlertsSettings {
  /** an urgent conversation unclaimed this long gets an escalation, and again each time it passes */
  escalateAfterMs: number;
  /** where the adviser console opens a conversation */
  consoleUrl(conversationId: string): string;
  /** whether alerts about a school's conversations go anywhere */
  hasReceiver(schoolId: string): boolean;
  /** milliseconds of real time, for when an alert is due (the bot's clock may be set to another date) */
  realNow?: () => number;
  /** told after an alert is added, so delivery can start at once */
  onAdded?: () => void;
}

/**
 * Makes the safeguarding alerts (CONTRACT.md "Safeguarding alerts") and puts them in the outbox:
 * one for every urgent queueing, and an escalation for each period an urgent conversation waits
 * unclaimed. An alert names the conversation, its school, flags and times; never the pupil's
 * words or anything else about them. Making one never fails the caller (a pupil's turn).
 */
export class SafeguardingAlerts {
  private readonly realNow: () => number;

  constructor(
    private readonly outbox: AlertOutbox,
    private readonly schools: SchoolDirectory,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly settings: SafeguardingAlertsSettings,
  ) {
    this.realNow = settings.realNow ?? Date.now;
  }

  /** An urgent queueing: a new alert for each request (a retry of the same request makes the same alert). */
  async raise(request: HandoffRequest): Promise<void> {
    if (request.priority !== 'urgent' || !this.settings.hasReceiver(request.school)) return;
    const alert: SafeguardingAlert = {
      type: 'safeguarding.alert',
      alertId: alertIdFor('alert', request.conversationId, String(request.at.getTime())),
      conversationId: request.conversationId,
      school: request.school,
      flags: [...request.flags],
      priority: request.priority,
      queuedAt: request.at.toISOString(),
      outOfHours: this.outOfHours(request.school, request.at),
      consoleUrl: this.settings.consoleUrl(request.conversationId),
      raisedAt: this.clock.now().toISOString(),
    };
    await this.add(alert);
  }

  /**
   * The escalations due now among the queue's items: an urgent item waiting unclaimed for n whole
   * periods gets escalation n, once (its id comes from the item and n, so every instance's sweep
   * makes the same one). Periods missed while nothing swept are not sent late; the current one is.
   * Resolves how many were added.
   */
  async escalate(items: readonly QueueItem[]): Promise<number> {
    const now = this.clock.now();
    let added = 0;
    for (const item of items) {
      if (item.priority !== 'urgent' || item.status !== 'waiting' || !this.settings.hasReceiver(item.school)) continue;
      const waitedMs = now.getTime() - Date.parse(item.waitingSince);
      const period = Math.floor(waitedMs / this.settings.escalateAfterMs);
      if (!(period >= 1)) continue;
      const alert: SafeguardingAlert = {
        type: 'safeguarding.escalation',
        alertId: alertIdFor('escalation', item.conversationId, item.waitingSince, String(period)),
        conversationId: item.conversationId,
        school: item.school,
        flags: [...item.flags],
        priority: item.priority,
        queuedAt: item.waitingSince,
        outOfHours: this.outOfHours(item.school, now),
        consoleUrl: this.settings.consoleUrl(item.conversationId),
        raisedAt: now.toISOString(),
        escalation: period,
        waitedMinutes: Math.floor(waitedMs / 60_000),
      };
      if (await this.add(alert)) added += 1;
    }
    return added;
  }

  /**
   * Whether an alert is still worth sending: an escalation only while its conversation still
   * waits unclaimed in the same queueing. When the queue cannot say, it is sent.
   */
  async stillWanted(alert: SafeguardingAlert, queue: Pick<HandoffQueue, 'get'>): Promise<boolean> {
    if (alert.type !== 'safeguarding.escalation') return true;
    const item = await queue.get(alert.conversationId).catch(() => 'unknown' as const);
    if (item === 'unknown') return true;
    return item !== undefined && item.status === 'waiting' && item.priority === 'urgent' && item.waitingSince === alert.queuedAt;
  }

  /** Out of hours unless the school's advisers are on duty; a conversation of no known school has nobody's hours. */
  private outOfHours(schoolId: string, at: Date): boolean {
    const school = this.schools.get(schoolId);
    return school ? !school.calendar.availability(at).open : true;
  }

  private async add(alert: SafeguardingAlert): Promise<boolean> {
    try {
      const added = await this.outbox.add(alert, this.realNow());
      if (added) {
        this.logger.info('safeguarding alert raised', { alertId: alert.alertId, type: alert.type, conversationId: alert.conversationId, school: alert.school, outOfHours: alert.outOfHours });
        this.settings.onAdded?.();
      }
      return added;
    } catch (error) {
      this.logger.error('safeguarding alert could not be recorded', { alertId: alert.alertId, type: alert.type, conversationId: alert.conversationId, error: errorMessage(error) });
      return false;
    }
  }
}

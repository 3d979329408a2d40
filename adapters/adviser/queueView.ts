import { z } from 'zod';
import { errorMessage } from '../../bot/errorMessage';
import type { PresenceBoard } from '../../bot/handoff/presenceBoard';
import type { AlertStats, Logger, QueueItem } from '../../bot/ports';
import type { AdviserAccounts } from './accounts';
import type { SchoolScope } from './adviserSchools';
import type { ConsoleQueueItem, PresenceView } from './shared/consoleApi';
import { QUEUE_STATUSES, type QueueFilter } from './shared/queueFilter';

const NO_ALERTS: AlertStats = { sent: 0, delivered: 0, pending: 0 };

/** How each conversation's safeguarding alerts have gone; absent when alerts are off. */
export type AlertStatsOf = (conversationIds: readonly string[]) => Promise<Map<string, AlertStats>>;

/**
 * The queue as the console shows it: the wait by the bot's clock (the console's own clock may not
 * be set to BOT_CLOCK's date), and for urgent items the alerts' figures; when those cannot be read
 * the items go without them.
 */
export async function consoleItems(items: readonly QueueItem[], now: Date, alertStats: AlertStatsOf | undefined, logger: Logger): Promise<ConsoleQueueItem[]> {
  const urgent = items.filter((item) => item.priority === 'urgent').map((item) => item.conversationId);
  const stats =
    alertStats && urgent.length > 0
      ? await alertStats(urgent).catch((error: unknown) => {
          logger.warn('alert figures unavailable for the queue', { error: errorMessage(error) });
          return undefined;
        })
      : undefined;
  return items.map((item) => {
    const alerts = stats && item.priority === 'urgent' ? (stats.get(item.conversationId) ?? NO_ALERTS) : undefined;
    return { ...item, waitedSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(item.waitingSince)) / 1000)), ...(alerts ? { alerts } : {}) };
  });
}

/** GET /queue's filters, as the console's own (shared/queueFilter.ts). */
export const QueueQuery = z.object({
  school: z.string().max(40).optional(),
  flag: z.string().max(40).optional(),
  status: z.enum(QUEUE_STATUSES).optional(),
  minWait: z.coerce.number().int().min(0).max(100_000).optional(),
  q: z.string().max(200).optional(),
});

export function queueFilterOf(query: z.infer<typeof QueueQuery>): QueueFilter {
  return { school: query.school, flag: query.flag, status: query.status, minWaitMinutes: query.minWait, text: query.q };
}

/** Whether two advisers' schools meet (either works for every school, or one is in both). */
function sharesSchool(scope: SchoolScope, schools: readonly string[]): boolean {
  return scope.all || schools.includes('*') || schools.some((school) => scope.schools.includes(school));
}

/** Every adviser who has set a status, and how they are; one away has no presence record, so their schools come from their account. */
export async function everyonesPresence(board: PresenceBoard, accounts: AdviserAccounts): Promise<PresenceView[]> {
  const entries = await board.everyone();
  return Promise.all(
    entries.map(async (entry): Promise<PresenceView> => ({
      username: entry.username,
      status: entry.status,
      ...(entry.since ? { since: entry.since } : {}),
      schools: entry.schools ?? [...(await accounts.schoolsOf(entry.username)).schools],
    })),
  );
}

/** Those who share a school with an adviser of `scope`. */
export function presenceFor(scope: SchoolScope, everyone: readonly PresenceView[]): PresenceView[] {
  return everyone.filter((view) => sharesSchool(scope, view.schools));
}

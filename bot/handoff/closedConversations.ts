import { z } from 'zod';
import { londonDate } from '../../dialogs/answerView';
import { addDays } from '../calendar/londonTime';
import type { KeyValueStore } from '../ports';
import { adviserOutcomeKey } from './adviserRecords';

const DAY_MS = 86_400_000;
const LOCK_MS = 5_000;

/** One list a school and a day (England's date), so each day's list lapses with the retention period. */
const closedOnKey = (school: string, date: string): string => `adviser:closed:${school}:${date}`;
const lockKey = (list: string): string => `${list}:lock`;

/** What is kept of a conversation an adviser closed: its queue item, the outcome, who and when. */
export const ClosedRecord = z
  .object({
    priority: z.enum(['urgent', 'high', 'standard']),
    flags: z.array(z.string()),
    channel: z.string(),
    summary: z.string(),
    waitingSince: z.string(),
    school: z.string().optional(),
    outcome: z.string().optional(),
    closedBy: z.string().optional(),
    closedAt: z.string().optional(),
  })
  .passthrough();
export type ClosedRecord = z.infer<typeof ClosedRecord>;

export interface ClosedConversation extends ClosedRecord {
  conversationId: string;
}

/**
 * The conversations advisers closed, findable by school for as long as their records are kept
 * (the retention period), so one can be re-opened. Each close adds its conversation to the day's
 * list of its school; a conversation whose record has gone (retention, or the pupil's data deleted)
 * is left out when listed, and a pupil's deletion of their data takes it out of its list.
 */
export class ClosedConversations {
  constructor(
    private readonly store: KeyValueStore,
    private readonly retentionDays: number,
  ) {}

  async add(conversationId: string, school: string, at: Date): Promise<void> {
    const list = closedOnKey(school, londonDate(at));
    await this.locked(list, () => this.store.push(list, conversationId, this.retentionDays * DAY_MS));
  }

  /**
   * Takes a conversation out of the list of the day it was closed (the pupil's data is being
   * deleted), by its closed record, so before that record is deleted. The list is rewritten under
   * the same lock `add` takes, so a close on that day at that moment is not lost.
   */
  async remove(conversationId: string): Promise<void> {
    const record = await this.record(conversationId);
    if (!record?.closedAt || !record.school) return;
    const list = closedOnKey(record.school, londonDate(new Date(record.closedAt)));
    await this.locked(list, async () => {
      const kept = (await this.store.list(list)).filter((id) => id !== conversationId);
      await this.store.delete(list);
      for (const id of kept) await this.store.push(list, id, this.retentionDays * DAY_MS);
    });
  }

  /**
   * Runs `work` holding the list's lock (an increment only its first caller sees as 1). After two
   * seconds without it, it goes ahead: a lost place in a list only hides a conversation from the
   * closed list, and a close must not fail for it.
   */
  private async locked(list: string, work: () => Promise<void>): Promise<void> {
    for (let attempt = 0; attempt < 40 && (await this.store.increment(lockKey(list), LOCK_MS)) !== 1; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      await work();
    } finally {
      await this.store.delete(lockKey(list));
    }
  }

  async record(conversationId: string): Promise<ClosedRecord | undefined> {
    const raw = await this.store.get(adviserOutcomeKey(conversationId));
    const parsed = raw ? ClosedRecord.safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }

  /** The schools' conversations closed in the last `days` days up to `now`, newest first. */
  async recent(schools: readonly string[], days: number, now: Date): Promise<ClosedConversation[]> {
    const today = londonDate(now);
    const lists = await Promise.all(schools.flatMap((school) => Array.from({ length: Math.min(days, this.retentionDays) }, (_, back) => this.store.list(closedOnKey(school, addDays(today, -back))))));
    const ids = [...new Set(lists.flat())];
    const records = await Promise.all(ids.map(async (conversationId) => ({ conversationId, record: await this.record(conversationId) })));
    return records.flatMap(({ conversationId, record }) => (record ? [{ ...record, conversationId }] : [])).sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''));
  }
}

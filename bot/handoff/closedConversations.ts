import { z } from 'zod';
import { londonDate } from '../../dialogs/answerView';
import { addDays } from '../calendar/londonTime';
import type { KeyValueStore } from '../ports';
import { adviserOutcomeKey } from './adviserRecords';

const DAY_MS = 86_400_000;

/** One list a school and a day (England's date), so each day's list lapses with the retention period. */
const closedOnKey = (school: string, date: string): string => `adviser:closed:${school}:${date}`;

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
 * is left out when listed.
 */
export class ClosedConversations {
  constructor(
    private readonly store: KeyValueStore,
    private readonly retentionDays: number,
  ) {}

  async add(conversationId: string, school: string, at: Date): Promise<void> {
    await this.store.push(closedOnKey(school, londonDate(at)), conversationId, this.retentionDays * DAY_MS);
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
    return records
      .flatMap(({ conversationId, record }) => (record ? [{ ...record, conversationId }] : []))
      .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? ''));
  }
}

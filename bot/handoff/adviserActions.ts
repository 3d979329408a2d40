import { z } from 'zod';
import type { Content } from '../../knowledge/loadContent';
import { errorMessage } from '../errorMessage';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { HandoffQueue, KeyValueStore, Logger, QueueItem } from '../ports';
import type { SchoolDirectory } from '../schools/schoolDirectory';
import { adviserNotesKey, adviserOutcomeKey } from './adviserRecords';

const DAY_MS = 86_400_000;

/** How an adviser can close a conversation (CONTRACT.md's close call). */
export const CLOSE_OUTCOMES = ['resolved', 'referred-on', 'no-reply'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

/** Sends a message into a pupil's conversation on their own channel, as the adviser or as the bot. */
export interface PupilMessages {
  send(conversationId: string, text: string, as: 'adviser' | 'bot'): Promise<void>;
}

/** Why an adviser's action was not done. */
export type Refusal =
  | { refused: 'not-in-queue' }
  /** someone else holds it (`claimedBy`), or nobody does yet and it must be claimed first */
  | { refused: 'not-held'; claimedBy?: string };

export type ActionResult<T> = ({ done: true } & T) | ({ done: false } & Refusal);

export interface AdviserActionsDeps {
  queue: HandoffQueue;
  keyValue: KeyValueStore;
  pupils: PupilMessages;
  content: Content;
  insights: InsightsRecorder;
  schools: SchoolDirectory;
  retentionDays: number;
  now: () => Date;
  logger: Logger;
}

const ClosedSchool = z.object({ school: z.string().optional() }).passthrough();

/**
 * What an adviser does with a conversation handed off to them: claim it, write to the pupil,
 * keep private notes, and close it with an outcome. The pupil is told when an adviser joins and
 * when they leave; each pick-up and outcome is counted for the school's insights. Notes and the
 * outcome record are kept for the retention period. Who may act on which school's conversations
 * is the caller's check (schoolOf).
 */
export class AdviserActions {
  constructor(private readonly deps: AdviserActionsDeps) {}

  private get retentionMs(): number {
    return this.deps.retentionDays * DAY_MS;
  }

  /**
   * The school a conversation belongs to, while it is in the queue or once an adviser has closed
   * it; undefined when it is neither (so no school's adviser may be refused it for its school).
   */
  async schoolOf(conversationId: string): Promise<{ school: string | undefined } | undefined> {
    const item = await this.deps.queue.get(conversationId);
    if (item) return { school: item.school };
    const closed = await this.deps.keyValue.get(adviserOutcomeKey(conversationId));
    if (!closed) return undefined;
    const parsed = ClosedSchool.safeParse(JSON.parse(closed));
    return { school: parsed.success ? parsed.data.school : undefined };
  }

  /** Takes a conversation from the queue; the first claim of a waiting one tells the pupil an adviser has joined. */
  async claim(conversationId: string, adviser: string): Promise<ActionResult<{ item: QueueItem }>> {
    const before = await this.deps.queue.get(conversationId);
    const result = await this.deps.queue.claim(conversationId, adviser);
    if (!result.ok) return result.reason === 'not-found' ? { done: false, refused: 'not-in-queue' } : { done: false, refused: 'not-held', claimedBy: result.claimedBy };
    if (before?.status === 'waiting') {
      const waitedSeconds = (this.deps.now().getTime() - Date.parse(result.item.waitingSince)) / 1000;
      if (this.deps.schools.get(result.item.school)) this.deps.insights.record(result.item.school, { kind: 'picked-up', waitedSeconds });
      await this.tellPupil(conversationId, 'handoff.adviser-joined');
    }
    return { done: true, item: result.item };
  }

  /** The adviser's words to the pupil, only from the adviser holding the conversation. */
  async message(conversationId: string, adviser: string, text: string): Promise<ActionResult<object>> {
    const held = await this.heldBy(conversationId, adviser);
    if (!held.done) return held;
    await this.deps.pupils.send(conversationId, text, 'adviser');
    return { done: true };
  }

  /** A private note on a conversation in the queue, by any adviser who may see it. */
  async note(conversationId: string, adviser: string, text: string): Promise<ActionResult<object>> {
    if (!(await this.deps.queue.get(conversationId))) return { done: false, refused: 'not-in-queue' };
    await this.addNote(conversationId, adviser, text);
    return { done: true };
  }

  /**
   * Closes a conversation the adviser holds: the item with its outcome is kept (for the school
   * check and the insights), an optional closing note added, the item leaves the queue, and the
   * pupil is told the adviser has left.
   */
  async close(conversationId: string, adviser: string, outcome: CloseOutcome, note?: string): Promise<ActionResult<object>> {
    const held = await this.heldBy(conversationId, adviser);
    if (!held.done) return held;
    const { item } = held;
    const record = { ...item, outcome, closedBy: adviser, closedAt: this.deps.now().toISOString() };
    await this.deps.keyValue.set(adviserOutcomeKey(conversationId), JSON.stringify(record), this.retentionMs);
    if (note) await this.addNote(conversationId, adviser, note);
    if ((await this.deps.queue.close(conversationId)) && this.deps.schools.get(item.school)) this.deps.insights.record(item.school, { kind: 'outcome', outcome });
    await this.tellPupil(conversationId, 'handoff.adviser-left');
    return { done: true };
  }

  /** The item, if this adviser holds it. */
  private async heldBy(conversationId: string, adviser: string): Promise<ActionResult<{ item: QueueItem }>> {
    const item = await this.deps.queue.get(conversationId);
    if (!item) return { done: false, refused: 'not-in-queue' };
    if (item.status !== 'claimed' || item.claimedBy !== adviser) return { done: false, refused: 'not-held', claimedBy: item.claimedBy };
    return { done: true, item };
  }

  private addNote(conversationId: string, by: string, text: string): Promise<void> {
    return this.deps.keyValue.push(adviserNotesKey(conversationId), JSON.stringify({ by, text, timestamp: this.deps.now().toISOString() }), this.retentionMs);
  }

  /** A notice to the pupil that must not fail the adviser's action (the queue has already changed). */
  private async tellPupil(conversationId: string, answerId: string): Promise<void> {
    try {
      await this.deps.pupils.send(conversationId, this.deps.content.answer(answerId).text, 'bot');
    } catch (error) {
      this.deps.logger.warn('could not send a hand-off notice to the pupil', { conversationId, answerId, error: errorMessage(error) });
    }
  }
}

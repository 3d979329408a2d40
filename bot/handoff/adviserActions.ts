import type { Content } from '../../knowledge/loadContent';
import { errorMessage } from '../errorMessage';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { HandoffQueue, KeyValueStore, Logger, QueueItem } from '../ports';
import type { SchoolDirectory } from '../schools/schoolDirectory';
import { NO_SCHOOL } from './handoffService';
import { adviserNotesKey, adviserOutcomeKey } from './adviserRecords';
import { ClosedConversations, type ClosedConversation } from './closedConversations';

const DAY_MS = 86_400_000;

/** How an adviser can close a conversation (CONTRACT.md's close call). */
export const CLOSE_OUTCOMES = ['resolved', 'referred-on', 'no-reply'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

/** The answers this file names, for the start-up check. */
export const ADVISER_ACTION_ANSWER_IDS = ['handoff.adviser-joined', 'handoff.adviser-left', 'handoff.adviser-changed', 'handoff.back-in-queue', 'handoff.adviser-rejoined'] as const;

/** Sends a message into a pupil's conversation on their own channel, as the adviser or as the bot, with buttons if given. */
export interface PupilMessages {
  /** Rejects with PupilUnreachableError when this instance cannot reach the pupil's chat at all. */
  send(conversationId: string, text: string, as: 'adviser' | 'bot', buttons?: string[]): Promise<void>;
}

/**
 * The pupil's chat cannot be reached from this instance: a web chat begun while the store was
 * down lives only in the instance that began it, and one past its retention period nowhere.
 */
export class PupilUnreachableError extends Error {
  constructor(conversationId: string) {
    super(`the pupil's chat ${conversationId} cannot be reached from this instance`);
    this.name = 'PupilUnreachableError';
  }
}

/** "Did that help?" after a close: the question, with the record that lets its answer count once for the school. */
export interface FeedbackQuestions {
  question(conversationId: string, school: string): Promise<{ text: string; buttons: string[] }>;
}

/** A private note, or a record of a hand-over or re-opening, as the console lists them. */
export interface AdviserNote {
  by: string;
  text: string;
  timestamp: string;
  /** set on a transfer: to whom (null: back to the queue) */
  transferredTo?: string | null;
  reopened?: true;
}

/** Why an adviser's action was not done. */
export type Refusal =
  | { refused: 'not-in-queue' }
  /** someone else holds it (`claimedBy`), or nobody does yet and it must be claimed first */
  | { refused: 'not-held'; claimedBy?: string }
  /** transfer: to the adviser who holds it already */
  | { refused: 'same-adviser' }
  /** re-open: it is still in the queue */
  | { refused: 'still-open' }
  /** re-open: no closed record (never handed off, or closed longer ago than the retention period) */
  | { refused: 'not-closed' }
  /** the pupil's chat cannot be reached from this instance (PupilUnreachableError) */
  | { refused: 'unreachable' };

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
  /** asks the pupil for feedback after a close; absent: nothing is asked */
  feedback?: FeedbackQuestions;
}

/**
 * What an adviser does with a conversation handed off to them: claim it, write to the pupil,
 * keep private notes, pass it to another adviser or back to the queue, close it with an outcome,
 * and re-open it later. The pupil is told when an adviser joins, changes, leaves or comes back,
 * and asked whether the chat helped; each pick-up and outcome is counted for the school's
 * insights. Notes and the outcome record are kept for the retention period. Who may act on which
 * school's conversations is the caller's check (schoolOf).
 */
export class AdviserActions {
  readonly closed: ClosedConversations;

  constructor(private readonly deps: AdviserActionsDeps) {
    this.closed = new ClosedConversations(deps.keyValue, deps.retentionDays);
  }

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
    const closed = await this.closed.record(conversationId);
    return closed ? { school: closed.school } : undefined;
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
    try {
      await this.deps.pupils.send(conversationId, text, 'adviser');
    } catch (error) {
      if (error instanceof PupilUnreachableError) return { done: false, refused: 'unreachable' };
      throw error;
    }
    return { done: true };
  }

  /** A private note on a conversation in the queue, by any adviser who may see it. */
  async note(conversationId: string, adviser: string, text: string): Promise<ActionResult<object>> {
    if (!(await this.deps.queue.get(conversationId))) return { done: false, refused: 'not-in-queue' };
    await this.addNote(conversationId, { by: adviser, text });
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
    const now = this.deps.now();
    const { claimedBy: _holder, status: _status, ...kept } = item;
    const record = { ...kept, outcome, closedBy: adviser, closedAt: now.toISOString() };
    await this.deps.keyValue.set(adviserOutcomeKey(conversationId), JSON.stringify(record), this.retentionMs);
    if (note) await this.addNote(conversationId, { by: adviser, text: note });
    const known = this.deps.schools.get(item.school) !== undefined;
    if ((await this.deps.queue.close(conversationId)) && known) this.deps.insights.record(item.school, { kind: 'outcome', outcome });
    await this.closed.add(conversationId, item.school, now);
    await this.tellPupil(conversationId, 'handoff.adviser-left');
    // Nobody to ask when the pupil never replied; and only a school's pupils count in its insights.
    if (outcome !== 'no-reply' && known) await this.askFeedback(conversationId, item.school);
    return { done: true };
  }

  /**
   * Passes a conversation the adviser holds to another adviser, or back to the queue (`to` null)
   * in its old place; the hand-over and its note are kept with the private notes, and the pupil is
   * told. Whether `to` may take it (their schools) is the caller's check.
   */
  async transfer(conversationId: string, from: string, to: string | null, note?: string): Promise<ActionResult<{ item: QueueItem }>> {
    if (to === from) {
      const held = await this.heldBy(conversationId, from);
      return held.done ? { done: false, refused: 'same-adviser' } : held;
    }
    const moved = await this.deps.queue.transfer(conversationId, from, to);
    if (!moved.ok) return moved.reason === 'not-found' ? { done: false, refused: 'not-in-queue' } : { done: false, refused: 'not-held', claimedBy: moved.claimedBy };
    await this.addNote(conversationId, { by: from, text: note ?? '', transferredTo: to });
    await this.tellPupil(conversationId, to ? 'handoff.adviser-changed' : 'handoff.back-in-queue');
    return { done: true, item: moved.item };
  }

  /**
   * Opens a closed conversation again, within the retention period, claimed by the adviser who
   * re-opens it (its place in the queue is new). The pupil is told an adviser is back. Two advisers
   * re-opening at once: the first claim wins, the other is told who has it.
   */
  async reopen(conversationId: string, adviser: string): Promise<ActionResult<{ item: QueueItem }>> {
    if (await this.deps.queue.get(conversationId)) return { done: false, refused: 'still-open' };
    const record = await this.closed.record(conversationId);
    if (!record) return { done: false, refused: 'not-closed' };
    const { priority, flags, channel, summary, school } = record;
    await this.deps.queue.enqueue({ conversationId, priority, flags, channel, summary, school: school ?? NO_SCHOOL, at: this.deps.now() });
    const claimed = await this.deps.queue.claim(conversationId, adviser);
    if (!claimed.ok) return claimed.reason === 'not-found' ? { done: false, refused: 'not-closed' } : { done: false, refused: 'not-held', claimedBy: claimed.claimedBy };
    await this.addNote(conversationId, { by: adviser, text: '', reopened: true });
    await this.tellPupil(conversationId, 'handoff.adviser-rejoined');
    return { done: true, item: claimed.item };
  }

  /** The item, if this adviser holds it. */
  private async heldBy(conversationId: string, adviser: string): Promise<ActionResult<{ item: QueueItem }>> {
    const item = await this.deps.queue.get(conversationId);
    if (!item) return { done: false, refused: 'not-in-queue' };
    if (item.status !== 'claimed' || item.claimedBy !== adviser) return { done: false, refused: 'not-held', claimedBy: item.claimedBy };
    return { done: true, item };
  }

  private addNote(conversationId: string, note: Omit<AdviserNote, 'timestamp'>): Promise<void> {
    const kept: AdviserNote = { ...note, timestamp: this.deps.now().toISOString() };
    return this.deps.keyValue.push(adviserNotesKey(conversationId), JSON.stringify(kept), this.retentionMs);
  }

  /** The schools' conversations closed in the last `days` days and not open again, newest first. */
  async recentlyClosed(schools: readonly string[], days: number): Promise<ClosedConversation[]> {
    const [closed, open] = await Promise.all([this.closed.recent(schools, days, this.deps.now()), this.deps.queue.list()]);
    const reopened = new Set(open.map((item) => item.conversationId));
    return closed.filter((item) => !reopened.has(item.conversationId));
  }

  /** The notes of a conversation, oldest first. */
  async notes(conversationId: string): Promise<AdviserNote[]> {
    return (await this.deps.keyValue.list(adviserNotesKey(conversationId))).map((note): AdviserNote => JSON.parse(note));
  }

  /** "Did that help?", which must not fail the close (the queue has already changed). */
  private async askFeedback(conversationId: string, school: string): Promise<void> {
    if (!this.deps.feedback) return;
    try {
      const { text, buttons } = await this.deps.feedback.question(conversationId, school);
      await this.deps.pupils.send(conversationId, text, 'bot', buttons);
    } catch (error) {
      this.deps.logger.warn('could not ask the pupil for feedback', { conversationId, error: errorMessage(error) });
    }
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

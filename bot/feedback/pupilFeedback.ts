import { createHash } from 'node:crypto';
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { isCareerVoteId, WEB_CHAT_VOTE_EVENT } from '../../dialogs/answerVote';
import { textReply } from '../../dialogs/replies';
import type { Careers } from '../../knowledge/loadCareers';
import type { Content } from '../../knowledge/loadContent';
import { errorMessage } from '../errorMessage';
import type { AdviserRating } from '../insights/insightEvents';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { KeyValueStore, Logger } from '../ports';

/** The face buttons, by the rating each gives, and the answers this file names (for the start-up check). */
const FACES: Record<AdviserRating, string> = {
  helped: 'feedback.face-helped',
  partly: 'feedback.face-partly',
  'not-helped': 'feedback.face-not-helped',
  skipped: 'feedback.face-skip',
};
export const FEEDBACK_ANSWER_IDS = [...Object.values(FACES), 'feedback.adviser-question', 'feedback.thanks', 'feedback.skipped'] as const;

/** A question is answered within a week (or the retention period, if shorter) or not at all. */
const ASK_FOR_MS = 7 * 86_400_000;
/** Long enough to count one thumb per answer per conversation, short enough to hold nothing for long. */
const VOTE_ONCE_MS = 86_400_000;

/** The question waiting for a face: only the school it counts for, nothing about the pupil. */
export const feedbackAskKey = (conversationId: string): string => `feedback:ask:${conversationId}`;
/** That a thumb was counted for an answer in a conversation (not which way), under a hash that names neither. */
const voteKey = (conversationId: string, answerId: string): string => `feedback:voted:${createHash('sha256').update(`${conversationId}\n${answerId}`).digest('base64url').slice(0, 22)}`;

const Ask = z.object({ school: z.string() });
const VoteAction = z.object({ '@type': z.enum(['LikeAction', 'DislikeAction']), '@id': z.string().max(200) });

export interface PupilFeedbackDeps {
  content: Content;
  /** the job profiles, whose answers carry thumbs too ("career.electrician.pay") */
  careers: Careers;
  keyValue: KeyValueStore;
  insights: InsightsRecorder;
  /** the school a web chat conversation belongs to (thumbs come only from Web Chat) */
  schoolOf(conversationId: string): Promise<string | undefined>;
  retentionDays: number;
  logger: Logger;
}

/**
 * Pupils' feedback, counted for their school's insights and never kept with the conversation:
 * "Did that help?" after an adviser closes (three faces and a skip, as buttons), and a thumb up
 * or down on the bot's answers in Web Chat. A botbuilder middleware ahead of the transcript
 * recorder, so a face pressed is neither answered by the dialogs nor shown to advisers. It takes
 * only a message that is exactly a face's label while the question waits, so no words of a
 * pupil's own can bypass the safeguarding that runs on every other message.
 */
export class PupilFeedback implements Middleware {
  private readonly faces = new Map<string, AdviserRating>();

  constructor(private readonly deps: PupilFeedbackDeps) {
    for (const [rating, answerId] of Object.entries(FACES) as [AdviserRating, string][]) this.faces.set(deps.content.answer(answerId).text, rating);
  }

  /** The question and its buttons, and the record that lets one answer count for `school`. */
  async question(conversationId: string, school: string): Promise<{ text: string; buttons: string[] }> {
    await this.deps.keyValue.set(feedbackAskKey(conversationId), JSON.stringify({ school }), Math.min(ASK_FOR_MS, this.deps.retentionDays * 86_400_000));
    return { text: this.deps.content.answer('feedback.adviser-question').text, buttons: [...this.faces.keys()] };
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === ActivityTypes.Event && activity.name === WEB_CHAT_VOTE_EVENT) return this.vote(context);
    const rating = activity.type === ActivityTypes.Message ? this.faces.get((activity.text ?? '').trim()) : undefined;
    if (rating && (await this.rate(context, rating))) return;
    await next();
  }

  /** True when the face answered a waiting question (then counted once and thanked). */
  private async rate(context: TurnContext, rating: AdviserRating): Promise<boolean> {
    const conversationId = context.activity.conversation?.id ?? '';
    try {
      const raw = await this.deps.keyValue.get(feedbackAskKey(conversationId));
      const ask = raw ? Ask.safeParse(JSON.parse(raw)) : undefined;
      if (!ask?.success) return false;
      await this.deps.keyValue.delete(feedbackAskKey(conversationId));
      this.deps.insights.record(ask.data.school, { kind: 'adviser-feedback', rating });
    } catch (error) {
      // The pupil still gets a reply; a face lost to a storage fault is one count less.
      this.deps.logger.warn('feedback not recorded', { error: errorMessage(error) });
    }
    await context.sendActivity(textReply(this.deps.content.answer(rating === 'skipped' ? 'feedback.skipped' : 'feedback.thanks').text));
    return true;
  }

  /** A guidance answer of the content, or a part of a job's profile. */
  private knownAnswer(answerId: string): boolean {
    return this.deps.content.allAnswers().some((answer) => answer.id === answerId) || isCareerVoteId(this.deps.careers, answerId);
  }

  /** A thumb on an answer: counted once per answer and conversation; nothing is sent back (Web Chat shows it pressed). */
  private async vote(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation?.id ?? '';
    const action = VoteAction.safeParse((context.activity.entities ?? [])[0]);
    if (!action.success) return;
    const [answerId, direction] = action.data['@id'].split('#');
    const vote = action.data['@type'] === 'LikeAction' ? 'up' : 'down';
    if (direction !== vote || !this.knownAnswer(answerId)) return;
    try {
      const school = await this.deps.schoolOf(conversationId);
      if (!school || (await this.deps.keyValue.increment(voteKey(conversationId, answerId), VOTE_ONCE_MS)) !== 1) return;
      this.deps.insights.record(school, { kind: 'answer-vote', vote });
    } catch (error) {
      this.deps.logger.warn('answer vote not recorded', { error: errorMessage(error) });
    }
  }
}

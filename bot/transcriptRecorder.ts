import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { isEtagConflict } from './etagConflict';
import { speaksAsAdviser } from './handoff/adviserAccount';
import type { Clock, Logger, TranscriptEntry, TranscriptStore } from './ports';
import { turnCommitOf } from './turnCommit';
import { errorMessage } from './errorMessage';

/**
 * Keeps what the pupil and the bot say, for the adviser who picks the conversation up: the
 * pupil's message and the bot's replies, timed by the bot's clock, are written once under the
 * retention TTL, with the turn's state commit when the store takes them there (TurnCommit), else
 * after the turn. A failing transcript store never fails the turn.
 */
export class TranscriptRecorder implements Middleware {
  constructor(
    private readonly transcripts: TranscriptStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) return next();
    // Held in the turn's unit of work, which may write them with the state; a turn without one keeps its own.
    const commit = turnCommitOf(context);
    const held: TranscriptEntry[] = commit?.transcript ?? [];
    const hold = (entry: TranscriptEntry) => {
      // Once the pupil's data is deleted in this turn, nothing more of it is kept.
      if (!commit?.forgotten) held.push(entry);
    };
    if (context.activity.type === ActivityTypes.Message && context.activity.text) {
      hold({ from: 'pupil', text: context.activity.text, timestamp: this.clock.now().toISOString() });
    }
    context.onSendActivities(async (_context, activities, send) => {
      for (const activity of activities) {
        if (activity.type !== ActivityTypes.Message || !activity.text) continue;
        hold({ from: speaksAsAdviser(context) ? 'adviser' : 'bot', text: activity.text, timestamp: this.clock.now().toISOString() });
      }
      return send();
    });
    let failure: unknown;
    try {
      await next();
    } catch (error) {
      // A turn re-run after an eTag conflict records itself on the run that succeeds.
      if (isEtagConflict(error)) throw error;
      failure = error;
    }
    const left = held.splice(0);
    if (left.length > 0) {
      await this.transcripts.append(conversationId, left).catch((error: unknown) => {
        this.logger.warn('transcript write failed', { conversationId, error: errorMessage(error) });
      });
    }
    if (failure !== undefined) throw failure;
  }
}

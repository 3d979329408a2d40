import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { isEtagConflict } from './etagConflict';
import { ADVISER_TURN } from './handoff/adviserAccount';
import { HELD_TRANSCRIPT, type HeldTranscript, type Logger, type TranscriptEntry, type TranscriptStore } from './ports';
import { CONVERSATION_ERASED } from './privacy/conversationEraser';
import { errorMessage } from './errorMessage';

/**
 * Keeps what the pupil and the bot say, for the adviser who picks the conversation up: the
 * pupil's message and the bot's replies are written once under the retention TTL, with the
 * turn's state commit when the store can (HELD_TRANSCRIPT in ./ports), else after the turn. A
 * failing transcript store never fails the turn.
 */
export class TranscriptRecorder implements Middleware {
  constructor(
    private readonly transcripts: TranscriptStore,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) return next();
    const entries: TranscriptEntry[] = [];
    if (context.activity.type === ActivityTypes.Message && context.activity.text) {
      entries.push({ from: 'pupil', text: context.activity.text, timestamp: new Date().toISOString() });
    }
    // The bot's state may write these lines with its commit (HELD_TRANSCRIPT) and take them out
    // of `entries`; what is left is appended below.
    context.turnState.set(HELD_TRANSCRIPT, { conversationId, entries } satisfies HeldTranscript);
    context.onSendActivities(async (_context, activities, send) => {
      for (const activity of activities) {
        if (activity.type !== ActivityTypes.Message || !activity.text) continue;
        entries.push({ from: context.turnState.get(ADVISER_TURN) ? 'adviser' : 'bot', text: activity.text, timestamp: new Date().toISOString() });
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
    // The pupil has just had this conversation's data deleted: its last words are not kept either.
    if (context.turnState.get(CONVERSATION_ERASED)) entries.length = 0;
    await this.transcripts.append(conversationId, entries).catch((error: unknown) => {
      this.logger.warn('transcript write failed', { conversationId, error: errorMessage(error) });
    });
    if (failure !== undefined) throw failure;
  }
}

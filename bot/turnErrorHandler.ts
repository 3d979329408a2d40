import type { TurnContext } from 'botbuilder';
import type { Content } from '../knowledge/loadContent';
import { isEtagConflict } from './etagConflict';
import { crisisReplied } from './crisis/crisisMode';
import type { Logger } from './ports';
import { textReply } from '../dialogs/replies';

/**
 * The one turn error handler for every adapter. eTag conflicts go back to the adapter, which
 * re-runs the turn on fresh state; anything else is logged (never the pupil's text) and the
 * pupil gets a short apology with a contact.
 */
export function createTurnErrorHandler(content: Content, logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    if (isEtagConflict(error)) throw error;
    logger.error('turn failed', {
      channel: context.activity.channelId,
      activityType: context.activity.type,
      error: { name: error.name, message: error.message },
    });
    // After a crisis reply the pupil already has the contacts; an apology on top would confuse.
    if (crisisReplied(context)) return;
    try {
      await context.sendActivity(textReply(content.answer('error.turn').text));
    } catch (sendError) {
      logger.error('could not send the error reply', { error: sendError instanceof Error ? sendError.message : String(sendError) });
    }
  };
}

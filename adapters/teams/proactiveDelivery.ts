import { ActivityEventNames, ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';

/** True on the turn CloudAdapter.continueConversationAsync runs for a proactive message. */
export function isContinuation(context: TurnContext): boolean {
  return context.activity.type === ActivityTypes.Event && context.activity.name === ActivityEventNames.ContinueConversation;
}

/**
 * Makes a proactive message a new message in the conversation. botbuilder starts a proactive
 * turn from a made-up event with a random id, and then sends every message as a reply to that id
 * (POST /v3/conversations/{id}/activities/{random id}), an activity the channel never saw. The
 * Bot Connector's call for a message that answers nothing is POST /v3/conversations/{id}/activities,
 * which the SDK makes when replyToId is empty.
 */
export class ProactiveDelivery implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (isContinuation(context)) {
      const madeUpId = context.activity.id;
      context.onSendActivities(async (_context, activities, send) => {
        for (const activity of activities) if (activity.replyToId === madeUpId) delete activity.replyToId;
        return send();
      });
    }
    await next();
  }
}

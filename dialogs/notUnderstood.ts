import type { TurnContext } from 'botbuilder';
import type { ConversationData } from './conversationData';
import type { GuidanceServices } from './guidanceServices';
import { textReply } from './replies';

export const NOT_UNDERSTOOD_LIMIT = 3;

/**
 * A short rephrase prompt with the given buttons; the third miss in a row offers an adviser
 * (the bot reads the yes or no next turn) and records the not-understood flag. A message that
 * sounds upset ("no one is here", "i cant cope") gets a gentle check-in with people to talk to
 * instead: "try different words" is the wrong answer to it. It counts as neither a miss nor an
 * understood message.
 */
export async function replyNotUnderstood(services: GuidanceServices, context: TurnContext, data: ConversationData, buttons: string[]): Promise<void> {
  if (services.router.distress.carries(context.activity.text ?? '')) {
    await context.sendActivity(textReply(services.content.answer('dialog.check-in').text, buttons));
    return;
  }
  data.notUnderstoodInARow += 1;
  if (data.notUnderstoodInARow >= NOT_UNDERSTOOD_LIMIT) {
    data.notUnderstoodInARow = 0;
    if (!data.flags.includes('not-understood')) data.flags.push('not-understood');
    const { content } = services;
    const prompt = textReply(content.answer('dialog.offer-adviser').text, [content.answer('button.yes').text, content.answer('button.no').text, ...buttons]);
    await services.offerAdviser(context, { flags: ['not-understood'], prompt });
    return;
  }
  await context.sendActivity(textReply(services.content.answer('dialog.rephrase').text, buttons));
}

import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Content } from '../knowledge/loadContent';
import type { AnswerRouter } from './answerRouter';
import { emptyConversationData, type ConversationData } from './conversationData';

/** What every guidance dialog needs, injected so tests can swap the clock and content. */
export interface GuidanceServices {
  content: Content;
  router: AnswerRouter;
  now: () => Date;
  conversationData: StatePropertyAccessor<ConversationData>;
}

export async function dataOf(services: GuidanceServices, context: TurnContext): Promise<ConversationData> {
  const data = await services.conversationData.get(context, emptyConversationData());
  // state saved before a field existed gets it on first use
  data.profile ??= {};
  data.flags ??= [];
  return data;
}

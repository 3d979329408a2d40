import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Content } from '../knowledge/loadContent';
import type { AnswerRouter } from './answerRouter';
import { emptyConversationData, type ConversationData } from './conversationData';

/** An offer of an adviser: the flags it is made for, and the question as the pupil sees it (text and buttons). */
export interface AdviserOffer {
  flags: string[];
  prompt: Partial<Activity>;
}

/** What every guidance dialog needs, injected so tests can swap the clock and content. */
export interface GuidanceServices {
  content: Content;
  router: AnswerRouter;
  now: () => Date;
  conversationData: StatePropertyAccessor<ConversationData>;
  /** Asks whether the pupil would like an adviser: the bot's yes/no question, answered on the next message. */
  offerAdviser(context: TurnContext, offer: AdviserOffer): Promise<void>;
}

export async function dataOf(services: GuidanceServices, context: TurnContext): Promise<ConversationData> {
  const data = await services.conversationData.get(context, emptyConversationData());
  // state saved before a field existed gets it on first use
  data.profile ??= {};
  data.flags ??= [];
  return data;
}

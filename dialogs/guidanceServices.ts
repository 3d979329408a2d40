import type { Activity, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Content } from '../knowledge/loadContent';
import type { Careers } from '../knowledge/loadCareers';
import { AnswerRouter } from './answerRouter';
import { CareerAnswers } from './careerAnswers';
import { CareerExplorer } from './careerExplorer';
import { CareerMatcher } from './careerMatcher';
import { emptyConversationData, type ConversationData } from './conversationData';
import { MessageReader } from './messageReader';

/** An offer of an adviser: the flags it is made for, and the question as the pupil sees it (text and buttons). */
export interface AdviserOffer {
  flags: string[];
  prompt: Partial<Activity>;
}

/** What every guidance dialog needs, injected so tests can swap the clock and content. */
export interface GuidanceServices {
  content: Content;
  router: AnswerRouter;
  /** the router and the careers matcher together: what a message asks for */
  reader: MessageReader;
  careers: Careers;
  careerAnswers: CareerAnswers;
  explorer: CareerExplorer;
  now: () => Date;
  conversationData: StatePropertyAccessor<ConversationData>;
  /** Asks whether the pupil would like an adviser: the bot's yes/no question, answered on the next message. */
  offerAdviser(context: TurnContext, offer: AdviserOffer): Promise<void>;
}

/** The parts of the services that read and answer messages: the same for every conversation. */
export type ReadingServices = Pick<GuidanceServices, 'content' | 'careers' | 'router' | 'reader' | 'careerAnswers' | 'explorer'>;

/**
 * The router, the careers matcher and their reader, built from the content once at start:
 * building them folds every trigger and job name (about 0.2 s), which no turn should pay for.
 */
export function readingServices(content: Content, careers: Careers): ReadingServices {
  const router = new AnswerRouter(content);
  const matcher = new CareerMatcher(careers, { spellings: content.spellings, keepWords: content.keepWords, knownWords: router.folder.words() });
  return { content, careers, router, reader: new MessageReader(router, matcher, careers), careerAnswers: new CareerAnswers(careers), explorer: new CareerExplorer(careers) };
}

export async function dataOf(services: Pick<GuidanceServices, 'conversationData'>, context: TurnContext): Promise<ConversationData> {
  const data = await services.conversationData.get(context, emptyConversationData());
  // state saved before a field existed gets it on first use
  data.profile ??= {};
  data.flags ??= [];
  return data;
}

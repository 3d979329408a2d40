import { ConversationState, MemoryStorage, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { BOT_ANSWER_IDS } from '../../bot/careersBot';
import { emptyConversationData, type ConversationData } from '../../dialogs/conversationData';
import { readingServices, type AdviserOffer, type GuidanceServices } from '../../dialogs/guidanceServices';
import { MainDialog } from '../../dialogs/mainDialog';
import { loadCareers } from '../../knowledge/loadCareers';
import { loadContent, type Content } from '../../knowledge/loadContent';

export const content: Content = loadContent(undefined, BOT_ANSWER_IDS);
export const careers = loadCareers();
/** built once: the same for every conversation, and building them costs about 0.2 s */
export const reading = readingServices(content, careers);

/** The answer a message shows, found by its text among the answers and their variants. */
export function answerIdOf(activity: Partial<Activity> | undefined): string | undefined {
  if (!activity?.text) return undefined;
  return content.allAnswers().find((answer) => [answer.text, ...answer.variants.map((variant) => variant.text)].includes(activity.text ?? ''))?.id;
}

export function buttonsOf(activity: Partial<Activity> | undefined): string[] {
  return activity?.suggestedActions?.actions.map((action) => String(action.title)) ?? [];
}

export interface Harness {
  /** sends a message and returns every reply to it */
  say(text: string): Promise<Partial<Activity>[]>;
  /** the answer ids the replies showed, in order */
  sayIds(text: string): Promise<(string | undefined)[]>;
  data(): Promise<ConversationData>;
  /** the adviser offers the dialogs asked the bot to make, in order */
  offers: AdviserOffer[];
}

/**
 * The main dialog run as the bot runs it (MainDialog.run, then the state saved), under botbuilder's
 * TestAdapter, with its own state and an injected clock. An adviser offer is sent as the bot's
 * question would be, and kept in `offers`.
 */
export function dialogHarness(now: Date = new Date('2026-11-23T10:00:00Z')): Harness {
  const conversationState = new ConversationState(new MemoryStorage());
  const accessor = conversationState.createProperty<ConversationData>('conversationData');
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const offers: AdviserOffer[] = [];
  const services: GuidanceServices = {
    ...reading,
    now: () => now,
    conversationData: accessor,
    offerAdviser: async (context, offer) => {
      offers.push(offer);
      await context.sendActivity(offer.prompt);
    },
  };
  const main = new MainDialog(services, dialogState);
  let latest = emptyConversationData();
  const adapter = new TestAdapter(async (context: TurnContext) => {
    await main.run(context);
    latest = structuredClone(await accessor.get(context, emptyConversationData()));
    await conversationState.saveChanges(context);
  });
  const say = async (text: string) => {
    await adapter.receiveActivity(text);
    return adapter.activeQueue.splice(0);
  };
  return {
    say,
    sayIds: async (text) => (await say(text)).map(answerIdOf),
    data: async () => latest,
    offers,
  };
}

import { TestAdapter, type Activity } from 'botbuilder';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { clockStartingAt } from '../../bot/clock';
import { BOT_ANSWER_IDS, CareersBot } from '../../bot/careersBot';
import { OptimisticConversationState } from '../../bot/optimisticConversationState';
import type { Logger, Stores } from '../../bot/ports';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { loadContent } from '../../knowledge/loadContent';
import { loadLexicon } from '../../knowledge/loadLexicon';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const content = loadContent(undefined, BOT_ANSWER_IDS);
const lexicon = loadLexicon();
const calendar = loadCalendar(undefined);

/** The bot on in-process stores behind botbuilder's TestAdapter, which keeps every reply. */
function botUnderTest(): { adapter: TestAdapter; stores: Stores } {
  const stores = createMemoryStores({ retentionDays: 1 });
  const bot = new CareersBot({
    content,
    lexicon,
    conversationState: new OptimisticConversationState(stores.state),
    stores,
    retentionDays: 30,
    clock: clockStartingAt(new Date('2026-11-23T10:00:00Z')),
    calendar,
    logger: quiet,
  });
  return { adapter: new TestAdapter((context) => bot.run(context)), stores };
}

const STATE_KEY = 'test/conversations/Convo1/';

async function stateOf(stores: Stores): Promise<unknown> {
  return (await stores.state.read([STATE_KEY]))[STATE_KEY];
}

function replies(adapter: TestAdapter): Partial<Activity>[] {
  return adapter.activeQueue.splice(0);
}

describe('CareersBot.run: which activities it answers', () => {
  it('a message: guidance replies, and the conversation state is saved', async () => {
    const { adapter, stores } = botUnderTest();
    await adapter.send('what are t levels');
    const sent = replies(adapter);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((reply) => reply.type === 'message')).toBe(true);
    expect(await stateOf(stores)).toMatchObject({ conversationData: expect.any(Object), dialogState: expect.any(Object) });
  });

  it('a pupil joining: the welcome; only the bot joining: nothing', async () => {
    const { adapter } = botUnderTest();
    const conversationUpdate = (memberId: string): Partial<Activity> => ({ type: 'conversationUpdate', membersAdded: [{ id: memberId, name: '' }] });
    await adapter.processActivity(conversationUpdate('pupil-1'));
    const welcome = replies(adapter);
    expect(welcome[0]?.text).toBe(content.answer('welcome.intro').text);
    expect(welcome.at(-1)?.suggestedActions?.actions.length).toBeGreaterThan(0);

    // TestAdapter's bot account is 'bot'
    await adapter.processActivity(conversationUpdate('bot'));
    expect(replies(adapter)).toEqual([]);
  });

  it.each(['event', 'typing', 'messageReaction', 'endOfConversation', 'installationUpdate'])('an activity of type %s: no reply and nothing saved', async (type) => {
    const { adapter, stores } = botUnderTest();
    await adapter.processActivity({ type, name: type === 'event' ? 'webchat/join' : undefined });
    expect(replies(adapter)).toEqual([]);
    expect(await stateOf(stores)).toBeUndefined();
  });
});

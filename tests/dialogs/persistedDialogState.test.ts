import { createMemoryStores } from '../../adapters/memory/memoryStores';
import type { Stores } from '../../bot/ports';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { content } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

interface StackEntry {
  id: string;
  state: Record<string, unknown>;
}

const stateKey = (conversationId: string) => `directline/conversations/${conversationId}/`;

/** How many topics a saved stack holds: the route, then each topic open as its own entry. */
const topicDepth = (stack: StackEntry[]): number => stack.filter((entry) => entry.id.endsWith('Dialog')).length;

describe('persisted dialog state', () => {
  let stores: Stores;
  let server: InProcessServer;

  beforeAll(async () => {
    stores = createMemoryStores({ retentionDays: 30 });
    server = await startInProcess({ BOT_CLOCK: '2026-11-23T10:00:00Z' }, { stores });
  });
  afterAll(async () => {
    await server?.close();
  });

  const dialogStack = async (conversationId: string): Promise<StackEntry[]> => {
    const items = await stores.state.read([stateKey(conversationId)]);
    return items[stateKey(conversationId)].dialogState.dialogStack;
  };
  const botTexts = (activities: DLActivity[]) => activities.filter((activity) => activity.from?.role === 'bot').map((activity) => activity.text);
  const say = async (client: DirectLineTestClient, text: string) => {
    expect((await client.send(text)).status).toBe(200);
    return botTexts(await client.poll());
  };

  it('stays one topic deep however many answers the pupil reads in a topic', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(client, 'post 16');
    await say(client, 'what are t levels');
    await say(client, 'tell me more');
    await say(client, 'what are a levels');
    expect(topicDepth(await dialogStack(client.conversationId))).toBe(1);
  });

  /** The flow waiting on the stack (the topic's entry), as saved. */
  const savedFlow = async (client: DirectLineTestClient): Promise<StackEntry['state']> => {
    const topic = (await dialogStack(client.conversationId)).find((entry) => entry.id.endsWith('Dialog'));
    if (!topic) throw new Error('no flow saved');
    return topic.state;
  };

  it('saves which answer a flow showed, not the message: "help" shows it again as it was, buttons and all', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(client, 'post 16');
    expect(await say(client, 'what are t levels')).toEqual([content.answer('post16.t-levels').text]);
    const shown = client.seen.filter((activity) => activity.from?.role === 'bot').at(-1);
    const flow = await savedFlow(client);
    expect(flow).toEqual({ options: expect.objectContaining({ answerId: 'post16.t-levels' }), stepIndex: 1, asked: 'answer' });
    expect(JSON.stringify(flow)).not.toContain(content.answer('post16.t-levels').text.slice(0, 40));

    expect(await say(client, 'help')).toEqual([content.answer('menu.help').text, content.answer('post16.t-levels').text]);
    const again = client.seen.filter((activity) => activity.from?.role === 'bot').at(-1);
    expect(again?.suggestedActions).toEqual(shown?.suggestedActions);
    // (a message without text is answered the same way: tests/dialogs/mainDialog.test.ts)
  });
});

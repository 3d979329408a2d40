import { createMemoryStores } from '../../adapters/memory/memoryStores';
import type { Stores } from '../../bot/ports';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { content, overviewText } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';

interface StackEntry {
  id: string;
  state: { dialogs?: { dialogStack: StackEntry[] }; [key: string]: unknown };
}

const stateKey = (conversationId: string) => `directline/conversations/${conversationId}/`;

/** How many topic dialogs sit inside each other under the main dialog. */
function topicDepth(stack: StackEntry[]): number {
  const main = stack.find((entry) => entry.id === 'mainDialog');
  let inner = main?.state.dialogs?.dialogStack ?? [];
  let depth = 0;
  for (;;) {
    const topic = inner.find((entry) => entry.id.endsWith('Dialog'));
    if (!topic) return depth;
    depth += 1;
    inner = topic.state.dialogs?.dialogStack ?? [];
  }
}

/** A post-16 topic waiting for a reply to the A levels answer, as one topic dialog or nested `levels` deep. */
function post16Stack(levels: number): StackEntry[] {
  const prompt = { text: content.answer('post16.a-levels').text, type: 'message', textFormat: 'plain', inputHint: 'acceptingInput' };
  let inner: StackEntry[] = [
    { id: 'flow', state: { options: { answerId: 'post16.a-levels', history: ['post16.overview'] }, values: { instanceId: 'a' }, stepIndex: 1 } },
    { id: 'reply', state: { options: { prompt }, state: {} } },
  ];
  for (let level = 0; level < levels; level += 1) inner = [{ id: 'post16Dialog', state: { dialogs: { dialogStack: inner }, version: '-1312401582' } }];
  return [
    {
      id: 'mainDialog',
      state: { dialogs: { dialogStack: [{ id: 'route', state: { options: {}, values: { instanceId: 'b' }, stepIndex: 0 } }, ...inner] }, version: '1325421877' },
    },
  ];
}

describe('persisted dialog state', () => {
  let stores: Stores;
  let server: InProcessServer;

  beforeAll(async () => {
    stores = createMemoryStores({ retentionDays: 30 });
    server = await startInProcess({}, { stores });
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

  it('resumes a conversation saved with topic dialogs nested inside each other (state from before the flattening)', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(client, 'post 16');
    const key = stateKey(client.conversationId);
    const saved = (await stores.state.read([key]))[key];
    await stores.state.write({ [key]: { ...saved, dialogState: { dialogStack: post16Stack(4) }, eTag: '*' } });

    // "back" goes to the answer before, inside the nested topic, and nesting grows no deeper.
    expect(await say(client, 'back')).toEqual([overviewText('post16')]);
    expect(topicDepth(await dialogStack(client.conversationId))).toBe(4);
    // "back" at the topic's first answer ends the topic through every level: the menu comes back.
    expect(await say(client, 'back')).toEqual([content.answer('menu.prompt').text]);
    // and the conversation carries on as a fresh one would
    expect(await say(client, 'apprenticeships')).toEqual([overviewText('apprenticeships')]);
    expect(topicDepth(await dialogStack(client.conversationId))).toBe(1);
  });
});

import { createMemoryStores } from '../../adapters/memory/memoryStores';
import type { Stores } from '../../bot/ports';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { content, overviewText } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { GETTING_A_JOB_DIALOG } from '../../dialogs/gettingAJobDialog';

interface StackEntry {
  id: string;
  state: { dialogs?: { dialogStack: StackEntry[] }; [key: string]: unknown };
}

const stateKey = (conversationId: string) => `directline/conversations/${conversationId}/`;

/**
 * How many topics a saved stack holds: flat (the route, then each topic as its flow: the form
 * saved since the seventh session), or inside the main dialog and topic dialogs inside each other
 * (the forms saved before).
 */
function topicDepth(stack: StackEntry[]): number {
  const count = (entries: StackEntry[]): number =>
    entries.filter((entry) => entry.id.endsWith('Dialog')).reduce((sum, entry) => sum + (entry.id === 'mainDialog' ? 0 : 1) + count(entry.state.dialogs?.dialogStack ?? []), 0);
  return count(stack);
}

/** A post-16 topic waiting for a reply to the A levels answer, as one topic dialog or nested `levels` deep. */
function post16Stack(levels: number, underPrompt = true): StackEntry[] {
  const prompt = { text: content.answer('post16.a-levels').text, type: 'message', textFormat: 'plain', inputHint: 'acceptingInput' };
  let inner: StackEntry[] = underPrompt
    ? [
        { id: 'flow', state: { options: { answerId: 'post16.a-levels', history: ['post16.overview'] }, values: { instanceId: 'a' }, stepIndex: 1 } },
        { id: 'reply', state: { options: { prompt }, state: {} } },
      ]
    : [{ id: 'flow', state: { options: { answerId: 'post16.a-levels', history: ['post16.overview'] }, stepIndex: 1, asked: 'answer' } }];
  for (let level = 0; level < levels; level += 1) inner = [{ id: 'post16Dialog', state: { dialogs: { dialogStack: inner }, version: '-1312401582' } }];
  return [
    {
      id: 'mainDialog',
      state: { dialogs: { dialogStack: [{ id: 'route', state: { options: {}, values: { instanceId: 'b' }, stepIndex: 0 } }, ...inner] }, version: '1325421877' },
    },
  ];
}

/** A jobs answer that depends on age, saved by the old waterfall while its age prompt waited. */
const ageAnswer = content.allAnswers().find((answer) => answer.topic === 'jobs' && answer.askAge && answer.variants.some((variant) => variant.maxAge !== undefined && variant.maxAge < 16));

function waitingForAgeStack(answerId: string): StackEntry[] {
  const prompt = { type: 'message', text: content.answer('prompt.age').text, textFormat: 'plain', inputHint: 'acceptingInput' };
  return [
    {
      id: 'mainDialog',
      state: {
        dialogs: {
          dialogStack: [
            { id: 'route', state: { options: {}, values: { instanceId: 'b' }, stepIndex: 0 } },
            {
              id: GETTING_A_JOB_DIALOG,
              state: {
                dialogs: {
                  dialogStack: [
                    { id: 'flow', state: { options: { answerId }, values: { instanceId: 'a' }, stepIndex: 0 } },
                    { id: 'age', state: { options: { prompt }, state: {} } },
                  ],
                },
                version: '-1312401582',
              },
            },
          ],
        },
        version: '1325421877',
      },
    },
  ];
}

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

  it('resumes a conversation saved with topic dialogs nested inside each other (state from before the flattening)', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(client, 'post 16');
    const key = stateKey(client.conversationId);
    const saved = (await stores.state.read([key]))[key];
    await stores.state.write({ [key]: { ...saved, dialogState: { dialogStack: post16Stack(4) }, eTag: '*' } });

    expect(topicDepth(post16Stack(4))).toBe(4);
    // "back" goes to the answer before, inside the nested topic, and the nesting is flattened as it resumes.
    expect(await say(client, 'back')).toEqual([overviewText('post16')]);
    expect(topicDepth(await dialogStack(client.conversationId))).toBe(1);
    // "back" at the topic's first answer ends the topic through every level: the menu comes back.
    expect(await say(client, 'back')).toEqual([content.answer('menu.prompt').text]);
    // and the conversation carries on as a fresh one would
    expect(await say(client, 'apprenticeships')).toEqual([overviewText('apprenticeships')]);
    expect(topicDepth(await dialogStack(client.conversationId))).toBe(1);
  });

  const saveStack = async (client: DirectLineTestClient, stack: StackEntry[]) => {
    const key = stateKey(client.conversationId);
    const saved = (await stores.state.read([key]))[key];
    await stores.state.write({ [key]: { ...saved, dialogState: { dialogStack: stack }, eTag: '*' } });
  };

  it('resumes a topic saved as a component dialog holding its flow (the form saved until the seventh session), and saves it flat', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(client, 'post 16');
    await saveStack(client, post16Stack(1, false));
    expect(await say(client, 'help')).toEqual([content.answer('menu.help').text, content.answer('post16.a-levels').text]);
    const [, topic, ...rest] = await dialogStack(client.conversationId);
    expect(rest).toEqual([]);
    expect(topic).toEqual({ id: 'post16Dialog', state: { options: { answerId: 'post16.a-levels', history: ['post16.overview'] }, stepIndex: 1, asked: 'answer' } });
    expect(await say(client, 'back')).toEqual([overviewText('post16')]);
    expect(await say(client, 'back')).toEqual([content.answer('menu.prompt').text]);
  });

  it('resumes a flow saved by the old waterfall under its reply prompt: "help" repeats the answer, and it carries on', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(client, 'post 16');
    await saveStack(client, post16Stack(1));
    expect(await say(client, 'help')).toEqual([content.answer('menu.help').text, content.answer('post16.a-levels').text]);
    expect(await say(client, 'back')).toEqual([overviewText('post16')]);
    // saved flat now: the route, then the topic as its flow, with no prompt above it
    const [route, topic, ...rest] = await dialogStack(client.conversationId);
    expect([route.id, topic.id, rest.length]).toEqual(['route', 'post16Dialog', 0]);
    expect(topic.state).toEqual({ options: expect.objectContaining({ answerId: 'post16.overview' }), stepIndex: 1, asked: 'answer' });
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

  it('resumes a flow saved with the whole message it asked (before it kept only which): "help" sends that message', async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(client, 'post 16');
    await say(client, 'what are t levels');
    const key = stateKey(client.conversationId);
    const saved = (await stores.state.read([key]))[key];
    const flow = saved.dialogState.dialogStack[1].state;
    delete flow.asked;
    flow.prompt = { type: 'message', text: 'the message as it was saved', textFormat: 'plain', inputHint: 'acceptingInput' };
    await stores.state.write({ [key]: { ...saved, eTag: '*' } });
    expect(await say(client, 'help')).toEqual([content.answer('menu.help').text, 'the message as it was saved']);
    expect(await say(client, 'back')).toEqual([overviewText('post16')]);
  });

  it('resumes a flow saved by the old waterfall under its age prompt: the age answers it', async () => {
    expect(ageAnswer).toBeDefined();
    if (!ageAnswer) return;
    const client = await DirectLineTestClient.start(server.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await say(client, 'Getting a job');
    await saveStack(client, waitingForAgeStack(ageAnswer.id));
    const [reply] = await say(client, '14');
    const under16 = ageAnswer.variants.find((variant) => variant.maxAge !== undefined && variant.maxAge >= 14 && (variant.minAge ?? 0) <= 14 && (!variant.validUntil || variant.validUntil >= '2026-11-23'));
    expect(reply).toBe(under16?.text);
    expect(await say(client, 'back')).toEqual([content.answer('menu.prompt').text]);
  });
});

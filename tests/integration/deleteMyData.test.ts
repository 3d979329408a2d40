import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { AdviserClient } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { dumpRedis, keysMentioning, type DumpedKey } from '../support/redisDump';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { decodeActivity, parseEntry } from '../../adapters/redis/activityCodec';
import { RedisKeys } from '../../adapters/redis/keys';
import { StandInConnector } from '../teams/support/standInConnector';

const PREFIX = 'del:';
const keys = new RedisKeys(PREFIX);
const PASSWORD = 'a-long-test-password-1';
const ERASED = '{"erased":true}';
const text = (id: string) => content.answer(id).text;
const isBotMessage = (activity: DLActivity) => activity.from?.role === 'bot' && activity.type === 'message';
/** A word nobody else would type, so finding it anywhere in Redis means the pupil's words are there. */
const distinctive = (stem: string) => `${stem}${randomBytes(4).toString('hex').replace(/\d/g, 'q')}`;
/** What kind of key it is, without the conversation id: "dl:log", "state", "kv:ref", ... */
const family = (entry: DumpedKey, conversationId: string) =>
  entry.key
    .slice(PREFIX.length)
    // hash tags (docs/redis-cluster.md) are not part of a family's name
    .replace(/[{}]/g, '')
    .replace(/^state:.*$/, 'state')
    .replace(`:${conversationId}`, '')
    .replace(`${conversationId}:`, '');

describe('"delete my data" on real Redis', () => {
  let redis: RedisServer;
  let bot: InProcessServer;
  let inspector: Redis;
  let adviser: AdviserClient;

  beforeAll(async () => {
    redis = await startRedisServer();
    // Within advisers' hours (a Monday in term, 10am), whatever the time the suite runs.
    bot = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: PREFIX, ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD, NODE_ENV: 'development', BOT_CLOCK: '2026-11-23T10:00:00Z' });
    inspector = new Redis(redis.url);
    adviser = new AdviserClient(bot.url);
    expect((await adviser.login('sam', PASSWORD)).status).toBe(200);
  }, 30_000);
  afterAll(async () => {
    inspector?.disconnect();
    await bot?.close();
    await redis?.destroy();
  });

  const started = async () => {
    const pupil = await DirectLineTestClient.start(bot.url);
    await pupil.poll();
    return pupil;
  };
  const say = async (pupil: DirectLineTestClient, said: string) => {
    expect((await pupil.send(said)).status).toBe(200);
    return (await pupil.poll()).filter(isBotMessage);
  };
  const texts = (activities: DLActivity[]) => activities.map((activity) => activity.text);

  it('after "yes", leaves nothing of the conversation but the blanked web chat log holding only the "deleted" reply', async () => {
    const pupil = await started();
    const id = pupil.conversationId;
    const pupilWord = distinctive('zorblax');
    const adviserWord = distinctive('quimbly');
    await say(pupil, `my hamster ${pupilWord} says I should be a vet`);
    await say(pupil, 'can I speak to an actual person');
    expect(texts(await say(pupil, 'yes'))).toContain(text('handoff.queued'));
    expect((await adviser.post(`/conversations/${id}/claim`)).status).toBe(200);
    expect((await adviser.post(`/conversations/${id}/messages`, { text: `Hi, I'm Sam. Tell me about ${adviserWord}` })).status).toBe(200);
    expect((await adviser.post(`/conversations/${id}/notes`, { text: `pupil likes ${adviserWord}` })).status).toBe(200);
    await say(pupil, `${pupilWord} is my hamster`);
    expect((await adviser.post(`/conversations/${id}/close`, { outcome: 'resolved', note: `closed ${adviserWord}` })).status).toBe(200);
    expect(texts((await pupil.poll()).filter(isBotMessage))).toEqual([text('handoff.adviser-left'), text('feedback.adviser-question')]);

    // Before: the words and the conversation are all over Redis, in every family deletion must cover.
    const before = await dumpRedis(inspector);
    expect(new Set(keysMentioning(before, id).map((entry) => family(entry, id)))).toEqual(
      new Set(['state', 'dl:meta', 'dl:log', 'transcript', 'queue:item', 'kv:ref', 'kv:adviser:notes', 'kv:adviser:outcome', 'kv:feedback:ask', 'kv:adviser:closed:default:2026-11-23']),
    );
    expect(keysMentioning(before, pupilWord).length).toBeGreaterThanOrEqual(2);
    expect(keysMentioning(before, adviserWord).length).toBeGreaterThanOrEqual(2);

    const asked = await say(pupil, 'can you delete my data please');
    expect(texts(asked)).toEqual([text('privacy.delete-confirm')]);
    expect(asked[0].suggestedActions?.actions.map((action) => action.title)).toEqual([text('privacy.button-delete'), text('privacy.button-keep')]);
    expect(texts(await say(pupil, text('privacy.button-delete')))).toEqual([text('privacy.deleted')]);

    const after = await dumpRedis(inspector);
    expect(keysMentioning(after, pupilWord)).toEqual([]);
    expect(keysMentioning(after, adviserWord)).toEqual([]);
    // What is left: the conversation's meta, so the pupil's page can still read the reply, and
    // its log with every earlier activity blanked and only the bot's "deleted" reply after them.
    const left = keysMentioning(after, id);
    expect(left.map((entry) => entry.key).sort()).toEqual([keys.log(id), keys.logMeta(id)]);
    const meta = left.find((entry) => entry.key.endsWith(':meta'));
    expect(Object.keys(Object.fromEntries(chunk(meta?.values ?? []))).sort()).toEqual(['conversationId', 'createdAt', 'school', 'started', 'userId']);
    const log = left.find((entry) => entry.key.endsWith(':log'))?.values ?? [];
    // The bot's replies are kept once for everyone in the shared bodies hash (content, no pupil data).
    const shared = after.find((entry) => entry.key === keys.replyBodies)?.values ?? [];
    const bodies = new Map(chunk(shared).map(([ref, json]) => [ref, JSON.parse(json) as unknown]));
    const kept = log
      .filter((entry) => entry !== ERASED)
      .map((entry) => parseEntry(id, entry))
      .map((entry) => decodeActivity(id, entry, bodies) as DLActivity);
    expect(kept.map((activity) => [activity.from?.role, activity.type, activity.text])).toEqual([['bot', 'message', text('privacy.deleted')]]);
    expect(log.length).toBeGreaterThan(10);
    for (const entry of left) expect(entry.pttl).toBeGreaterThan(0);

    // The adviser's console no longer has it.
    expect((await adviser.get(`/conversations/${id}`)).status).toBe(404);
    expect(((await (await adviser.get('/queue')).json()) as { items: { conversationId: string }[] }).items.map((item) => item.conversationId)).not.toContain(id);
    expect(await bot.runtime.stores.transcripts.read(id)).toEqual([]);

    // The pupil's page goes on working, from a clean start.
    expect(texts(await say(pupil, 'Apprenticeships'))[0]).toBe(text('apprenticeships.overview'));
  });

  it('keeps everything after "no", and a later "yes" deletes nothing', async () => {
    const pupil = await started();
    const id = pupil.conversationId;
    const word = distinctive('flumph');
    await say(pupil, `I like ${word} and drawing`);
    await say(pupil, 'can I speak to an actual person');
    await say(pupil, 'yes');
    const before = keysMentioning(await dumpRedis(inspector), id)
      .map((entry) => entry.key)
      .sort();

    expect(texts(await say(pupil, 'delete my chat'))).toEqual([text('privacy.delete-confirm')]);
    expect(texts(await say(pupil, text('privacy.button-keep')))).toEqual([text('privacy.delete-cancelled')]);
    await say(pupil, 'yes');

    const after = await dumpRedis(inspector);
    expect(
      keysMentioning(after, id)
        .map((entry) => entry.key)
        .sort(),
    ).toEqual(before);
    expect(
      keysMentioning(after, word)
        .map((entry) => family(entry, id))
        .sort(),
    ).toEqual(['dl:log', 'transcript']);
    expect(await bot.runtime.stores.queue.get(id)).toMatchObject({ status: 'waiting' });
    expect((await bot.runtime.stores.transcripts.read(id)).map((entry) => entry.text)).toContain(text('privacy.delete-cancelled'));
  });

  it('keeps everything while a crisis is open, and tells the pupil why with the crisis contacts', async () => {
    const pupil = await started();
    const id = pupil.conversationId;
    const word = distinctive('grindle');
    await say(pupil, `my friend ${word} is not nice to me`);
    expect(texts(await say(pupil, 'I want to hurt myself'))[0]).toEqual(text('crisis.reply'));
    const before = keysMentioning(await dumpRedis(inspector), id)
      .map((entry) => entry.key)
      .sort();

    const told = texts(await say(pupil, 'delete my data'));
    expect(told).toEqual([text('privacy.kept-for-safety')]);
    for (const contact of ['0800 1111', '85258', '116 123', '999']) expect(told[0]).toContain(contact);
    expect(told[0]).toMatch(/safeguarding/);
    // no question was asked, so a "yes" now deletes nothing
    expect(texts(await say(pupil, 'yes'))).not.toContain(text('privacy.deleted'));

    const after = await dumpRedis(inspector);
    expect(
      keysMentioning(after, id)
        .map((entry) => entry.key)
        .sort(),
    ).toEqual(before);
    expect(
      keysMentioning(after, word)
        .map((entry) => family(entry, id))
        .sort(),
    ).toEqual(['dl:log', 'transcript']);
    expect(await bot.runtime.stores.queue.get(id)).toMatchObject({ priority: 'urgent', flags: ['crisis'] });
  });

  it('keeps everything when a crisis is raised after the question, before the "yes"', async () => {
    const pupil = await started();
    const id = pupil.conversationId;
    expect(texts(await say(pupil, 'wipe my messages'))).toEqual([text('privacy.delete-confirm')]);
    expect(texts(await say(pupil, 'my dad hurts me'))[0]).toEqual(text('crisis.reply'));
    expect(texts(await say(pupil, text('privacy.button-delete')))).toEqual([text('privacy.kept-for-safety')]);
    expect(await bot.runtime.stores.queue.get(id)).toMatchObject({ priority: 'urgent' });
    expect((await bot.runtime.stores.transcripts.read(id)).map((entry) => entry.text)).toContain('my dad hurts me');
  });

  it('deletes a Teams conversation through /api/messages, leaving no key that names it', async () => {
    const connector = await new StandInConnector().start();
    const conversationId = `a:teams-del-${randomBytes(4).toString('hex')}`;
    const word = distinctive('snorkwip');
    let n = 0;
    const post = async (said: string) => {
      const before = connector.texts.length;
      n += 1;
      const response = await fetch(`${bot.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: `m${n}`,
          channelId: 'msteams',
          serviceUrl: connector.url,
          text: said,
          from: { id: 'pupil-teams-1', name: 'Pupil' },
          recipient: { id: 'bot-1' },
          conversation: { id: conversationId, conversationType: 'personal' },
        }),
      });
      expect(response.status).toBeLessThan(300);
      return connector.texts.slice(before);
    };
    try {
      await post(`I like ${word}`);
      await post('I need an adviser');
      await post('yes');
      const before = await dumpRedis(inspector);
      expect(new Set(keysMentioning(before, conversationId).map((entry) => family(entry, conversationId)))).toEqual(new Set(['state', 'transcript', 'queue:item', 'queue:open', 'kv:ref']));
      expect(await post('delete my data')).toEqual([text('privacy.delete-confirm')]);
      expect(await post('yes')).toEqual([text('privacy.deleted')]);
      const after = await dumpRedis(inspector);
      expect(keysMentioning(after, conversationId)).toEqual([]);
      expect(keysMentioning(after, word)).toEqual([]);
    } finally {
      await connector.close();
    }
  });
});

function chunk(values: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < values.length; index += 2) pairs.push([values[index], values[index + 1]]);
  return pairs;
}

describe('"delete my data" on the in-process stores', () => {
  let bot: InProcessServer;
  beforeAll(async () => {
    bot = await startInProcess({ BOT_CLOCK: '2026-11-23T10:00:00Z' });
  });
  afterAll(() => bot?.close());

  it('deletes the state, transcript and queue item, and blanks the log but for the reply', async () => {
    const pupil = await DirectLineTestClient.start(bot.url);
    const id = pupil.conversationId;
    const { stores } = bot.runtime;
    const stateKey = `directline/conversations/${id}/`;
    await pupil.send('can I speak to an actual person');
    await pupil.send('yes');
    expect(Object.keys(await stores.state.read([stateKey]))).toEqual([stateKey]);
    expect(await stores.keyValue.get(`ref:${id}`)).toBeDefined();
    await pupil.send('forget me');
    await pupil.send('yes');
    expect(await stores.queue.get(id)).toBeUndefined();
    expect(await stores.transcripts.read(id)).toEqual([]);
    expect(await stores.state.read([stateKey])).toEqual({});
    expect(await stores.keyValue.get(`ref:${id}`)).toBeUndefined();
    const { activities } = await stores.conversations.read(id, 0);
    expect(activities.map((activity) => activity.text)).toEqual([text('privacy.deleted')]);
  });
});

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { AdviserAccounts } from '../../adapters/adviser/accounts';
import type { QueueResponse } from '../../adapters/adviser/shared/consoleApi';
import { PresenceBoard } from '../../bot/handoff/presenceBoard';
import { AdviserTools, ADVISER_PASSWORD as PASSWORD } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const IN_HOURS = '2026-11-24T10:00:00Z';
const text = (id: string) => content.answer(id).text;

/** Two instances on one real redis-server: presence, transfer and the event stream are shared through it. */
describe('adviser tools across two instances (real Redis)', () => {
  let redis: RedisServer;
  let a: InProcessServer;
  let b: InProcessServer;
  const prefix = `tools-${randomBytes(3).toString('hex')}:`;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, BOT_CLOCK: IN_HOURS, ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD };
    [a, b] = await Promise.all([startInProcess(env), startInProcess(env)]);
    await new AdviserAccounts(a.runtime.stores.keyValue).upsert('alex', PASSWORD);
  }, 30_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.destroy();
  });

  it("an adviser's presence set on one instance changes what a pupil on the other is told", async () => {
    const sam = new AdviserTools(a.url);
    await sam.login('sam');
    const offer = async () => {
      const pupil = await DirectLineTestClient.start(b.url);
      await pupil.poll();
      await pupil.send('can I speak to an actual person');
      return (await pupil.waitForBot((activity) => Boolean(activity.suggestedActions))).text;
    };
    expect(await offer()).toBe(text('triage.offer'));
    expect((await sam.send('PUT', '/presence', { status: 'available' })).status).toBe(200);
    expect(await offer()).toBe(text('triage.offer-online'));
    expect((await sam.send('PUT', '/presence', { status: 'away' })).status).toBe(200);
    expect(await offer()).toBe(text('triage.offer'));
  });

  it('keeps presence in Redis under the key prefix with a time-to-live, so an adviser who goes quiet becomes away', async () => {
    const board = new PresenceBoard(a.runtime.stores.keyValue, 400, () => new Date());
    await board.set('jo', 'available', ['*']);
    expect(await board.anyAvailable('default')).toBe(true);
    const inspector = new Redis(redis.url);
    try {
      const ttl = await inspector.pttl(`${prefix}kv:adviser:presence:jo`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(400);
    } finally {
      inspector.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await board.anyAvailable('default')).toBe(false);
  });

  it("moves ownership across instances: passed on one, held on the other, and the other's event stream says so", async () => {
    const [sam, alex] = [new AdviserTools(a.url), new AdviserTools(b.url)];
    await sam.login('sam');
    await alex.login('alex');
    const pupil = await DirectLineTestClient.start(b.url);
    await pupil.send('I need an adviser');
    await pupil.send(text('button.yes'));
    await pupil.poll();
    const stream = await alex.events();
    const holder = (data: unknown) => (data as QueueResponse).items.find((item) => item.conversationId === pupil.conversationId)?.claimedBy;
    await stream.next((name, data) => name === 'queue' && (data as QueueResponse).items.some((item) => item.conversationId === pupil.conversationId));

    expect((await sam.post(`/conversations/${pupil.conversationId}/claim`)).status).toBe(200);
    await stream.next((name, data) => name === 'queue' && holder(data) === 'sam');
    expect((await sam.post(`/conversations/${pupil.conversationId}/transfer`, { to: 'alex', note: 'over to you' })).status).toBe(200);
    await stream.next((name, data) => name === 'queue' && holder(data) === 'alex');
    stream.close();

    expect((await alex.post(`/conversations/${pupil.conversationId}/messages`, { text: 'Hello, I am Alex' })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === 'Hello, I am Alex');
    expect(pupil.seen.map((activity) => activity.text)).toContain(text('handoff.adviser-changed'));
    expect((await sam.post(`/conversations/${pupil.conversationId}/messages`, { text: 'me again' })).status).toBe(409);
    expect((await sam.post(`/conversations/${pupil.conversationId}/transfer`, { to: null })).status).toBe(403);
  });
});

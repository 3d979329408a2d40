import { Redis } from 'ioredis';
import { RedisKeys } from '../../adapters/redis/keys';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { content } from '../support/contentText';

describe('concurrent turns of one conversation on two instances', () => {
  let redis: RedisServer;
  let a: InProcessServer;
  let b: InProcessServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'ct:', DIRECTLINE_SECRET: 'shared-secret-for-this-test' };
    a = await startInProcess(env);
    b = await startInProcess(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.destroy();
  });

  it('loses no state update and no reply when messages hit both instances at once', async () => {
    const client = await DirectLineTestClient.start(a.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    const other = client.via(b.url);
    const messages = Array.from({ length: 10 }, (_, n) => `zzqx nonsense ${n}`);
    const results = await Promise.all(messages.map((text, n) => (n % 2 === 0 ? client : other).send(text)));
    expect(results.map((result) => result.status)).toEqual(Array(10).fill(200));

    // Misses count 1, 2, 3 (offer a person, start again), ... so after 10 the stored count is 1
    // and exactly the 3rd, 6th and 9th replies offer a person: any lost update breaks both.
    const inspector = new Redis(redis.url);
    try {
      const stored = await inspector.hget(new RedisKeys('ct:').state(`directline/conversations/${client.conversationId}/`), 'v');
      expect(JSON.parse(stored ?? '{}').conversationData.notUnderstoodInARow).toBe(1);
    } finally {
      inspector.disconnect();
    }
    client.watermark = '';
    client.seen.length = 0;
    await client.poll();
    const rephrase = content.answer('dialog.rephrase').text;
    const offer = content.answer('dialog.offer-adviser').text;
    const sorry = client.seen.filter((activity) => activity.from?.role === 'bot' && (activity.text === rephrase || activity.text === offer));
    // Exactly the 3rd, 6th and 9th turns to commit offer a person, and a turn's replies go into
    // the log in the same step as its state commit, so the log holds them in commit order: a lost
    // update or a reply appended out of order shows here.
    expect(sorry.map((activity) => activity.text === offer)).toEqual([false, false, true, false, false, true, false, false, true, false]);
    // every reply answers a pupil message, each exactly once
    const answered = sorry.map((activity) => activity.replyToId);
    expect(new Set(answered).size).toBe(10);
    expect(new Set(answered)).toEqual(new Set(results.map((result) => result.id)));
  });
});

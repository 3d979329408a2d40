import { Redis } from 'ioredis';
import { RedisKeys } from '../../adapters/redis/keys';
import { DirectLineTestClient } from '../support/directLineClient';
import { content } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { fromBot, fromPupil, logOf } from './chaosSupport';

const prefix = 'ten:';

/**
 * Ten messages at once on one conversation, on one instance. The same on two instances (where
 * eTag conflicts are retried) is tests/integration/concurrentTurns.test.ts; this one also checks
 * the order of the replies.
 */
describe('fault: ten messages at once on one conversation', () => {
  let redis: RedisServer;
  let server: InProcessServer;
  let inspector: Redis;

  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
    inspector = new Redis(redis.url);
  });
  afterAll(async () => {
    inspector?.disconnect();
    await server?.close();
    await redis?.destroy();
  });

  it('processes all ten, loses no state update, and answers each in turn, in the order the messages were taken', async () => {
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => pupil.send(`zzqx nonsense ${n}`)));
    expect(results.map((result) => result.status)).toEqual(Array(10).fill(200));

    // Misses count 1, 2, 3 (offer a person, start again), ...: after ten the count is 1, and the
    // 3rd, 6th and 9th replies offer a person. A lost update breaks both.
    const stored = await inspector.hget(new RedisKeys(prefix).state(`directline/conversations/${pupil.conversationId}/`), 'v');
    expect(JSON.parse(stored ?? '{}').conversationData.notUnderstoodInARow).toBe(1);

    const log = await logOf(inspector, prefix, pupil.conversationId);
    const turns = log.slice(log.findIndex((activity) => activity.text === 'zzqx nonsense 0' || activity.text?.startsWith('zzqx')));
    // each message is followed by its own replies before the next message
    const owners: string[] = [];
    let current = '';
    for (const activity of turns) {
      if (fromPupil(activity)) current = activity.id ?? '';
      else if (fromBot(activity)) expect({ text: activity.text, replyTo: activity.replyToId }).toEqual({ text: activity.text, replyTo: current });
      if (fromPupil(activity)) owners.push(current);
    }
    expect(new Set(owners)).toEqual(new Set(results.map((result) => result.id)));
    const rephrase = content.answer('dialog.rephrase').text;
    const offer = content.answer('dialog.offer-adviser').text;
    const sorry = turns.filter((activity) => fromBot(activity) && (activity.text === rephrase || activity.text === offer));
    expect(sorry.map((activity) => activity.text === offer)).toEqual([false, false, true, false, false, true, false, false, true, false]);
    expect(sorry.map((activity) => activity.replyToId)).toEqual(owners);
  });
});

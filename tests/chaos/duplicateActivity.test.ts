import { Redis } from 'ioredis';
import { storedTranscript } from '../support/storedLog';
import { DirectLineTestClient } from '../support/directLineClient';
import { isOverviewOf } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { fromPupil, logOf } from './chaosSupport';

const prefix = 'dup:';

describe('fault: the same activity delivered twice', () => {
  let redis: RedisServer;
  let a: InProcessServer;
  let b: InProcessServer;
  let inspector: Redis;

  beforeAll(async () => {
    redis = await startRedisServer();
    a = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
    b = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
    inspector = new Redis(redis.url);
  });
  afterAll(async () => {
    inspector?.disconnect();
    await a?.close();
    await b?.close();
    await redis?.destroy();
  });

  it('is processed once and is once in the log and the transcript, posted again or on two instances at once; both posts get 200 and the same id', async () => {
    const pupil = await DirectLineTestClient.start(a.url);
    await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));
    const other = pupil.via(b.url);

    const first = await pupil.send('Apprenticeships', 'web-chat-client-id-1');
    const again = await pupil.send('Apprenticeships', 'web-chat-client-id-1');
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.id).toBe(first.id);

    const [onA, onB] = await Promise.all([pupil.send('After 16', 'web-chat-client-id-2'), other.send('After 16', 'web-chat-client-id-2')]);
    expect([onA.status, onB.status]).toEqual([200, 200]);
    expect(onB.id).toBe(onA.id);

    const log = await logOf(inspector, prefix, pupil.conversationId);
    expect(log.filter(fromPupil).map((activity) => activity.text)).toEqual(['Apprenticeships', 'After 16']);
    expect(log.filter(isOverviewOf('apprenticeships'))).toHaveLength(1);
    expect(log.filter(isOverviewOf('post16'))).toHaveLength(1);
    const ids = log.map((activity) => activity.id);
    expect(new Set(ids).size).toBe(ids.length);

    const transcript = await storedTranscript(inspector, prefix, pupil.conversationId);
    expect(transcript.filter((entry) => entry.from === 'pupil').map((entry) => entry.text)).toEqual(['Apprenticeships', 'After 16']);
  });
});

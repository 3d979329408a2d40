import { Redis } from 'ioredis';
import { RedisKeys } from '../../adapters/redis/keys';
import { DirectLineTestClient } from '../support/directLineClient';
import { isOverviewOf } from '../support/contentText';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { freePort, startServerProcess, type ServerProcess } from '../support/serverProcess';
import { crisisReply, fromBot, readyStatus, safeReply, safeReplyContacts, waitFor } from './chaosSupport';

const prefix = 'down-at-start:';

describe('fault: Redis down at start', () => {
  let server: ServerProcess | undefined;
  let redis: RedisServer | undefined;
  afterAll(async () => {
    await server?.kill();
    await redis?.destroy();
  });

  it('starts, says 503 on /readyz, gives the pupil the safe reply (and a crisis reply), and recovers by itself when Redis returns', async () => {
    const port = await freePort();
    const started = Date.now();
    server = await startServerProcess({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: prefix });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/^Redis is not answering/) });

    // The page's token call and the conversation still work: kept in this process meanwhile.
    const pupil = await DirectLineTestClient.start(server.url);
    const notice = await pupil.waitForBot((activity) => activity.text === safeReply, 5000);
    for (const contact of safeReplyContacts) expect(notice.text).toContain(contact);
    // the safe reply alone: no welcome or menu that could not work
    expect(pupil.seen.filter(fromBot).map((activity) => activity.text)).toEqual([safeReply]);

    const asked = Date.now();
    const sent = await pupil.send('what apprenticeships are there');
    expect(sent.status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === safeReply && activity.replyToId === sent.id, 5000);
    expect(Date.now() - asked).toBeLessThan(5000);

    // Crisis detection still runs, and the request waits in the process for the queue.
    const crisis = await pupil.send('i want to end my life');
    expect(crisis.status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === crisisReply && activity.replyToId === crisis.id, 5000);

    redis = await startRedisServer({ port });
    const inspector = new Redis(redis.url);
    try {
      await waitFor(async () => (await readyStatus(server!.url)) === 200, '/readyz 200 after Redis came back', 15_000);
      const queued = await waitFor(async () => (await inspector.get(new RedisKeys(prefix).queueItem(pupil.conversationId))) ?? undefined, 'the crisis request in the queue', 10_000);
      expect(JSON.parse(queued)).toMatchObject({ priority: 'urgent', flags: ['crisis'], status: 'waiting', open: true });

      // A new pupil gets an ordinary conversation, kept in Redis.
      const next = await DirectLineTestClient.start(server.url);
      await next.waitForBot((activity) => Boolean(activity.suggestedActions), 5000);
      expect(await inspector.exists(new RedisKeys(prefix).logMeta(next.conversationId))).toBe(1);

      // The first pupil's page carries on, now answered properly.
      await pupil.send('Apprenticeships');
      await pupil.waitForBot(isOverviewOf('apprenticeships'), 5000);
    } finally {
      inspector.disconnect();
    }
  }, 60_000);
});

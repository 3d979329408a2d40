import { Redis } from 'ioredis';
import { DirectLineTestClient } from '../support/directLineClient';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { isOverviewOf } from '../support/contentText';

/** The built server (`npm test` builds it) as separate processes on one real redis-server. */
describe('server processes on one Redis', () => {
  let redis: RedisServer;
  const running: ServerProcess[] = [];
  const keyPrefix = 'mp-test:';
  const start = async () => {
    const server = await startServerProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: keyPrefix, RETENTION_DAYS: '14' });
    running.push(server);
    return server;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(running.map((server) => server.kill()));
    await redis.destroy();
  });

  it('logs one start-up line with the URL and the storage', async () => {
    const server = await start();
    const firstLine = JSON.parse(server.output().split('\n')[0]);
    expect(firstLine).toMatchObject({ msg: 'careers bot listening', url: `http://localhost:${server.port}/`, storage: 'redis' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', storage: 'redis' });
    await server.stop();
  });

  it('carries a conversation on after the server is stopped and started again on the same Redis', async () => {
    const first = await start();
    const client = await DirectLineTestClient.start(first.url);
    await client.waitForBot((activity) => Boolean(activity.suggestedActions));
    await client.send('Apprenticeships');
    await client.waitForBot(isOverviewOf('apprenticeships'));
    expect(await first.stop()).toBe(0);

    const second = await start();
    const resumed = client.via(second.url);
    const sent = await resumed.send('University');
    expect(sent.status).toBe(200);
    await resumed.waitForBot(isOverviewOf('higher-education'));
    // the whole history is still there, in order
    const history = client.via(second.url);
    history.watermark = '';
    history.seen.length = 0;
    await history.poll();
    const pupilSaid = history.seen.filter((activity) => activity.from?.role === 'user').map((activity) => activity.text);
    expect(pupilSaid).toEqual(['Apprenticeships', 'University']);
    await second.stop();
  });

  it('continues on a second instance a conversation begun on the first, with both running', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const onA = await DirectLineTestClient.start(a.url);
    await onA.waitForBot((activity) => Boolean(activity.suggestedActions));
    const onB = onA.via(b.url);
    await onB.send('Getting a job');
    await onB.waitForBot(isOverviewOf('jobs'));
    await onA.send('After 16');
    await onA.waitForBot(isOverviewOf('post16'));
    await Promise.all([a.stop(), b.stop()]);
  });

  it('leaves no Redis key without a TTL', async () => {
    const inspector = new Redis(redis.url);
    try {
      const keys = await inspector.keys(`${keyPrefix}*`);
      expect(keys.length).toBeGreaterThan(5);
      for (const key of keys) {
        const ttl = await inspector.pttl(key);
        // RETENTION_DAYS here is 14; the schools' anonymous insights are kept two years by design.
        const longest = key.startsWith(`${keyPrefix}insights:`) ? 730 * 86_400_000 : 14 * 86_400_000;
        expect({ key, ok: ttl > 0 && ttl <= longest }).toEqual({ key, ok: true });
      }
      expect(await inspector.dbsize()).toBe(keys.length);
    } finally {
      inspector.disconnect();
    }
  });
});

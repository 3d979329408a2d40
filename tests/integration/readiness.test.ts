import { startInProcess } from '../support/inProcessServer';
import { startRedisServer } from '../support/redisServer';

describe('/readyz follows the store', () => {
  it('is 200 while Redis answers, 503 with a reason when it stops, and 200 again when it is back', async () => {
    const redis = await startRedisServer();
    const server = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'ready:' });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      await redis.stop();
      const started = Date.now();
      const down = await fetch(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unavailable', storage: 'redis', reason: expect.stringMatching(/^Redis is not answering/) });
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      const back = await startRedisServer({ port: redis.port, dir: redis.dir });
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (status !== 200 && Date.now() < deadline) {
        status = (await fetch(`${server.url}/readyz`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe(200);
      await back.destroy();
    } finally {
      await server.close().catch(() => undefined);
      await redis.destroy();
    }
  });
});

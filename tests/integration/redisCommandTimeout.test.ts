import { closeClient, COMMAND_TIMEOUT_MS } from '../../adapters/redis/redisClient';
import { createRedisConnection } from '../../adapters/redis/connection';
import { startRedisServer, type RedisServer } from '../support/redisServer';

/**
 * The command client's timeout (ioredis's commandTimeout, and the client dropping the connection), against
 * a real redis-server frozen with SIGSTOP: the server keeps the socket but never answers.
 */
describe('createRedisConnection: commands to a frozen server', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    redis.kill('SIGCONT');
    await redis.destroy();
  });

  it('fails a command after about two seconds, drops the connection, and works again once the server answers', async () => {
    const client = createRedisConnection({ url: redis.url });
    try {
      await client.set('timeout:key', 'before');
      redis.kill('SIGSTOP');
      const sent = Date.now();
      const outcomes = await Promise.allSettled([client.get('timeout:key'), client.set('timeout:other', 'x')]);
      const waited = Date.now() - sent;
      expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).message : 'fulfilled'))).toEqual(['Command timed out', 'Command timed out']);
      expect(waited).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 10);
      expect(waited).toBeLessThan(COMMAND_TIMEOUT_MS + 1000);
      // the connection was dropped: while it is down, a command fails at once rather than queueing
      await new Promise((resolve) => setTimeout(resolve, 50));
      const whileDown = Date.now();
      await expect(client.get('timeout:key')).rejects.toThrow();
      expect(Date.now() - whileDown).toBeLessThan(500);

      redis.kill('SIGCONT');
      const deadline = Date.now() + 10_000;
      let value: string | null = null;
      while (Date.now() < deadline) {
        value = await client.get('timeout:key').catch(() => null);
        if (value !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(value).toBe('before');
    } finally {
      redis.kill('SIGCONT');
      await closeClient(client);
    }
  }, 30_000);

  it('lets a command answered within the limit succeed, and fails nothing afterwards', async () => {
    const client = createRedisConnection({ url: redis.url });
    try {
      await client.set('timeout:slow', '1');
      // the server frozen for a while under the limit: the command waits, then is answered, not failed
      redis.kill('SIGSTOP');
      const answered = client.get('timeout:slow');
      await new Promise((resolve) => setTimeout(resolve, COMMAND_TIMEOUT_MS - 800));
      redis.kill('SIGCONT');
      expect(await answered).toBe('1');
      // and nothing that was answered fails later, once the limit has passed
      await new Promise((resolve) => setTimeout(resolve, COMMAND_TIMEOUT_MS + 300));
      expect(client.status).toBe('ready');
      expect(await client.get('timeout:slow')).toBe('1');
    } finally {
      await closeClient(client);
    }
  }, 30_000);
});

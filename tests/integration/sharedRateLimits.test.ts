import { Redis } from 'ioredis';
import type { RateCheck, RateLimit } from '../../bot/ports';
import { closeClient, type RedisClient } from '../../adapters/redis/redisClient';
import { RedisRateLimits } from '../../adapters/redis/redisRateLimits';
import { RedisKeys } from '../../adapters/redis/keys';
import { counterKey } from '../../adapters/flexibleRateLimit';
import { createRedisConnection } from '../../adapters/redis/connection';
import { startClusterBackend, type RedisBackend } from '../support/redisBackends';
import { headers } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { until } from '../support/alertsHarness';

/**
 * Rate limits on a real redis-server, shared by every instance: N instances allow a limit once,
 * not N times. While Redis is down each instance counts on its own (the insurance limiter) and
 * no request fails for it; when Redis is back the count is shared again.
 */

/** Takes `times` requests for `key`, going round the instances' limits in turn; returns each check. */
async function alternately(limits: RateLimit[], key: string, times: number): Promise<RateCheck[]> {
  const checks: RateCheck[] = [];
  for (let n = 0; n < times; n += 1) checks.push(await limits[n % limits.length].take(key));
  return checks;
}

const allowedOf = (checks: RateCheck[]) => checks.filter((check) => check.allowed).length;

describe('rate limits shared through Redis (two instances, each with its own client)', () => {
  const prefix = 'rl-shared:';
  let redis: RedisServer;
  let clients: RedisClient[] = [];
  let inspector: Redis;
  let limits: RateLimit[];

  beforeAll(async () => {
    redis = await startRedisServer();
    // As two processes would have them: a client each, a limit each, one Redis.
    clients = [createRedisConnection({ url: redis.url }), createRedisConnection({ url: redis.url })];
    limits = clients.map((client) => new RedisRateLimits(client, new RedisKeys(prefix)).limit('messages', 20));
    inspector = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Until its client is ready a limit counts in the process (insurance), as while Redis is down.
    await until(() => clients.every((client) => client.status === 'ready'), 'the clients to connect', 15_000);
  });
  afterAll(async () => {
    inspector?.disconnect();
    await Promise.all(clients.map((client) => closeClient(client)));
    await redis?.destroy();
  });

  it('share one count per key: 20 a minute allows 10 in a window in all, not 10 on each; the refusal says when the window ends; a refused key costs no more round trips', async () => {
    const checks = await alternately(limits, 'conversation-1', 30);
    expect(allowedOf(checks)).toBe(10);
    expect(checks.slice(0, 10).every((check) => check.allowed)).toBe(true);
    const refusals = checks.slice(10);
    for (const refusal of refusals) {
      expect(refusal.allowed).toBe(false);
      if (!refusal.allowed) {
        expect(refusal.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(refusal.retryAfterSeconds).toBeLessThanOrEqual(30);
      }
    }
    // A key of its own, under the deployment's prefix, that lives no longer than its window.
    await inspector.connect();
    expect(await inspector.keys(`${prefix}*`)).toEqual([`${prefix}rl:messages:${counterKey('conversation-1')}`]);
    // Each instance asked Redis once past the limit, then refused from its own memory.
    expect(Number(await inspector.get(`${prefix}rl:messages:${counterKey('conversation-1')}`))).toBe(12);
    const ttl = await inspector.pttl(`${prefix}rl:messages:${counterKey('conversation-1')}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    inspector.disconnect();
    // Another key has its own count.
    expect(await limits[1].take('conversation-2')).toEqual({ allowed: true });
  });

  it('while Redis is down each instance counts on its own, answering at once and never failing; when Redis is back the count is shared again', async () => {
    await redis.stop();
    await until(() => clients.every((client) => client.status !== 'ready'), 'the clients to notice Redis has gone', 15_000);
    const started = Date.now();
    const down = await alternately(limits, 'conversation-3', 40);
    // 10 on each instance: limited per process, none failed, no command timeout waited for
    expect(allowedOf(down)).toBe(20);
    expect(allowedOf(down.filter((_, n) => n % 2 === 0))).toBe(10);
    expect(allowedOf(down.filter((_, n) => n % 2 === 1))).toBe(10);
    expect(Date.now() - started).toBeLessThan(1000);

    redis = await startRedisServer({ port: redis.port, dir: redis.dir });
    await until(() => clients.every((client) => client.status === 'ready'), 'the clients to reconnect', 15_000);
    expect(allowedOf(await alternately(limits, 'conversation-4', 30))).toBe(10);
    await inspector.connect();
    expect(Number(await inspector.get(`${prefix}rl:messages:${counterKey('conversation-4')}`))).toBe(12);
    inspector.disconnect();
  }, 40_000);
});

interface Conversation {
  conversationId: string;
  token: string;
}

describe('two servers on one Redis: posting to one conversation through both meets one limit', () => {
  let redis: RedisServer;
  let servers: InProcessServer[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    // 10 messages per conversation in a window of 30 s; both servers sign tokens with one key.
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'rl-two:', RATE_LIMIT_MESSAGES_PER_MINUTE: '20', TOKEN_SIGNING_KEY: 'a-signing-key-for-two-servers-0123456789' };
    servers = [await startInProcess(env), await startInProcess(env)];
  }, 30_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close().catch(() => undefined)));
    await redis?.destroy();
  });

  const startConversation = async (): Promise<Conversation> => {
    const issued = await fetch(`${servers[0].url}/v3/directline/tokens/generate`, { method: 'POST' });
    expect(issued.status).toBe(200);
    const { token } = (await issued.json()) as { token: string };
    const started = await fetch(`${servers[1].url}/v3/directline/conversations`, { method: 'POST', headers: headers(token) });
    expect(started.status).toBe(201);
    return (await started.json()) as Conversation;
  };

  /** Posts `times` messages to `conversation`, through the servers in turn; returns the statuses. */
  const postAlternately = async (conversation: Conversation, times: number) => {
    const statuses: number[] = [];
    for (let n = 0; n < times; n += 1) {
      const response = await fetch(`${servers[n % 2].url}/v3/directline/conversations/${conversation.conversationId}/activities`, {
        method: 'POST',
        headers: { ...headers(conversation.token), 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: `zzqx ${n}` }),
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
      } else await response.arrayBuffer();
    }
    return statuses;
  };

  it('gets 429 at the shared limit (10 in all, 5 through each), not at twice it', async () => {
    const statuses = await postAlternately(await startConversation(), 16);
    expect(statuses).toEqual([...Array<number>(10).fill(200), ...Array<number>(6).fill(429)]);
  });

  it('with Redis stopped, each server limits on its own and no post fails for it; with Redis back, the limit is shared again', async () => {
    const during = await startConversation();
    await redis.stop();
    const statuses = await postAlternately(during, 26);
    // 10 through each server, then 429 from both; none failed because Redis was down
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual(Array<number>(6).fill(429));

    redis = await startRedisServer({ port: redis.port, dir: redis.dir });
    await until(async () => (await Promise.all(servers.map((server) => fetch(`${server.url}/readyz`)))).every((response) => response.status === 200), 'both servers ready again', 15_000);
    const after = await postAlternately(await startConversation(), 16);
    expect(after).toEqual([...Array<number>(10).fill(200), ...Array<number>(6).fill(429)]);
  }, 60_000);
});

describe('rate limits shared through a Redis Cluster', () => {
  let cluster: RedisBackend;
  let clients: RedisClient[] = [];

  beforeAll(async () => {
    cluster = await startClusterBackend();
    clients = [createRedisConnection(cluster.target), createRedisConnection(cluster.target)];
    await until(() => clients.every((client) => client.status === 'ready'), 'the cluster clients to connect', 15_000);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => closeClient(client)));
    await cluster?.destroy();
  });

  it('two instances on three masters share one count for each key, whichever master holds it', async () => {
    const limits = clients.map((client) => new RedisRateLimits(client, new RedisKeys('rl-cluster:')).limit('messages', 20));
    for (const key of ['conversation-a', 'conversation-b', 'conversation-c', 'conversation-d']) {
      expect(allowedOf(await alternately(limits, key, 16))).toBe(10);
    }
    expect((await cluster.keys('rl-cluster:rl:messages:*')).sort()).toEqual(['a', 'b', 'c', 'd'].map((id) => `rl-cluster:rl:messages:${counterKey(`conversation-${id}`)}`).sort());
  });
});

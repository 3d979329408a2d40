import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis, type Cluster } from 'ioredis';
import { RedisKeys } from '../../adapters/redis/keys';
import { DirectLineTestClient } from '../support/directLineClient';
import { startRedisCluster, type RedisCluster } from '../support/redisCluster';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';

const PREFIX = 'rcs:';
const keys = new RedisKeys(PREFIX);
// Characters a URL must encode, so the test also shows the password is read back from the URLs intact.
const PASSWORD = `pw/${randomBytes(12).toString('hex')}@:#`;
const WRONG_PASSWORD = `wrong-${randomBytes(12).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Readiness {
  status: number;
  body: { status: string; storage: string; reason?: string };
}

async function readyz(server: ServerProcess): Promise<Readiness> {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}

/** /readyz once it answers `status` (a connection is made, or given up on, a moment after start-up), or its last answer. */
async function readyzUntil(server: ServerProcess, status: number, timeoutMs = 10_000): Promise<Readiness> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await readyz(server);
    if (answer.status === status || Date.now() > deadline) return answer;
    await sleep(200);
  }
}

/** The cluster's node URLs with another password in each. */
const withPassword = (urls: string[], password: string) =>
  urls.map((url) => {
    const parsed = new URL(url);
    parsed.password = encodeURIComponent(password);
    return parsed.toString().replace(/\/$/, '');
  });

/**
 * The bot on a Redis Cluster that takes TLS connections only and requires a password, configured
 * as an operator would: REDIS_CLUSTER_NODES=rediss://:<password>@localhost:<port>,... and the CA
 * that signed the nodes' certificate given to Node with NODE_EXTRA_CA_CERTS. The certificate names
 * `localhost` only, and the nodes announce `localhost`, so every connection, to the seeds and to
 * the nodes learnt from the cluster, is verified by name. Each bot runs as its own process: Node
 * reads NODE_EXTRA_CA_CERTS at start-up.
 */
describe('the bot on a Redis Cluster with a password and TLS', () => {
  let cluster: RedisCluster;
  let caFile: string;
  let bot: ServerProcess;
  let wrongPassword: ServerProcess;
  let untrusting: ServerProcess;
  let inspector: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1, password: PASSWORD, tls: true });
    if (!cluster.tls) throw new Error('the test cluster has no TLS files');
    caFile = cluster.tls.caFile;
    inspector = cluster.client();
    const env = {
      REDIS_KEY_PREFIX: PREFIX,
      DIRECTLINE_SECRET: randomBytes(16).toString('hex'),
      RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
      RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '0',
    };
    [bot, wrongPassword, untrusting] = await Promise.all([
      startServerProcess({ ...env, REDIS_CLUSTER_NODES: cluster.urls.join(','), NODE_EXTRA_CA_CERTS: caFile }),
      startServerProcess({ ...env, REDIS_CLUSTER_NODES: withPassword(cluster.urls, WRONG_PASSWORD).join(','), NODE_EXTRA_CA_CERTS: caFile }),
      // Only Node's own CA list: the test CA is unknown to it.
      startServerProcess({ ...env, REDIS_CLUSTER_NODES: cluster.urls.join(',') }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([bot?.kill(), wrongPassword?.kill(), untrusting?.kill()]);
    await cluster?.destroy();
  });

  /** PING on a node of the cluster by a plain ioredis client, or the error it gets. */
  const pingNode = async (options: { host: string; tls?: { ca?: Buffer }; password?: string }) => {
    const redis = new Redis({ port: cluster.nodes[0].server.port, lazyConnect: true, enableReadyCheck: false, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2000, ...options });
    const failed = new Promise<string>((resolve) => redis.once('error', (error: Error) => resolve(error.message)));
    try {
      return await Promise.race([redis.connect().then(async () => String(await redis.ping())), failed]);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      redis.disconnect();
    }
  };

  it('runs a cluster that takes only TLS connections, verified by name, with the password', async () => {
    expect(cluster.urls.every((url) => url.startsWith('rediss://') && new URL(url).hostname === 'localhost')).toBe(true);
    const ca = readFileSync(caFile);
    expect(await pingNode({ host: 'localhost', tls: { ca }, password: PASSWORD })).toBe('PONG');
    expect(await pingNode({ host: 'localhost', tls: { ca } })).toMatch(/NOAUTH/);
    // Its certificate names localhost only, and is signed by the test CA alone.
    expect(await pingNode({ host: '127.0.0.1', tls: { ca }, password: PASSWORD })).toMatch(/does not match certificate's altnames/);
    expect(await pingNode({ host: 'localhost', tls: {}, password: PASSWORD })).toMatch(/self-signed certificate in certificate chain/);
    expect(await pingNode({ host: 'localhost', password: PASSWORD })).not.toBe('PONG');
  });

  it('is ready, answers a pupil and keeps the conversation on the cluster', async () => {
    expect(await readyzUntil(bot, 200)).toEqual({ status: 200, body: { status: 'ready', storage: 'redis' } });
    const pupil = await DirectLineTestClient.start(bot.url);
    await pupil.poll();
    expect((await pupil.send('I want to be a vet')).status).toBe(200);
    const replies = (await pupil.poll()).filter((activity) => activity.from?.role === 'bot' && activity.type === 'message');
    expect(replies.length).toBeGreaterThan(0);

    const id = pupil.conversationId;
    expect(await inspector.exists(keys.state(`directline/conversations/${id}/`), keys.log(id), keys.logMeta(id))).toBe(3);
    // The web chat log holds the pupil's message and the bot's replies.
    const log = await inspector.lrange(keys.log(id), 0, -1);
    expect(log.some((entry) => entry.includes('I want to be a vet'))).toBe(true);
    expect(log.length).toBeGreaterThan(replies.length);
    expect(bot.output()).not.toContain(PASSWORD);
    expect(bot.output()).not.toContain(encodeURIComponent(PASSWORD));
  });

  it('with a wrong password is not ready, and neither its reason nor its log names a password', async () => {
    const answer = await readyzUntil(wrongPassword, 503);
    expect(answer.status).toBe(503);
    expect(answer.body.reason).toMatch(/Redis/);
    for (const text of [JSON.stringify(answer.body), wrongPassword.output()]) {
      for (const secret of [WRONG_PASSWORD, PASSWORD, encodeURIComponent(PASSWORD)]) expect(text).not.toContain(secret);
    }
    // It did try, and said so in the log with the hosts only.
    expect(wrongPassword.output()).toMatch(/redis connection problem/);
  });

  it('refuses the nodes when not given the CA: the certificate is verified', async () => {
    // The same URLs as the ready bot's; only NODE_EXTRA_CA_CERTS is missing. (ioredis's Cluster
    // reports a node it could not reach as "Connection is closed.", not the TLS error itself.)
    const answer = await readyzUntil(untrusting, 503);
    expect(answer.status).toBe(503);
    expect(answer.body.reason).toMatch(/Redis/);
    expect(untrusting.output()).toMatch(/redis connection problem/);
    expect(untrusting.output()).not.toContain(PASSWORD);
    expect(untrusting.output()).not.toContain(encodeURIComponent(PASSWORD));
  });
});

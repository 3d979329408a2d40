import { AdviserClient, ADVISER_PASSWORD } from '../support/adviserClient';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { retrying } from '../support/retrying';

/**
 * A web chat begun while Redis was down lives only in the instance that began it. An adviser on
 * another instance cannot reach it: the message must be refused, not reported delivered.
 */
describe('an adviser on another instance and a web chat kept by the instance that began it during an outage', () => {
  let redis: RedisServer;
  let a: InProcessServer;
  let b: InProcessServer;

  beforeAll(async () => {
    // Append-only, as in production: the adviser account outlives the restart.
    redis = await startRedisServer({ appendonly: true });
    const env = {
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: 'unreachable:',
      TOKEN_SIGNING_KEY: 'a-signing-key-for-two-servers-0123456789',
      BOT_CLOCK: '2026-11-23T10:00:00Z',
      ADVISER_USERNAME: 'sam',
      ADVISER_PASSWORD,
    };
    a = await startInProcess(env);
    b = await startInProcess(env);
  }, 30_000);
  afterAll(async () => {
    await a?.close().catch(() => undefined);
    await b?.close().catch(() => undefined);
    await redis?.destroy();
  });

  it('refuses the message with 409 instead of reporting it delivered; through the instance that keeps the chat it reaches the pupil', async () => {
    await redis.stop();
    const pupil = await DirectLineTestClient.start(b.url);
    await pupil.poll();
    redis = await startRedisServer({ port: redis.port, dir: redis.dir, appendonly: true });
    await retrying('both instances ready', async () => (await Promise.all([a, b].map((server) => fetch(`${server.url}/readyz`)))).every((response) => response.status === 200));

    await pupil.send('can I talk to a real person please');
    await pupil.poll();
    await pupil.send('yes');
    await pupil.poll();
    await retrying('the hand-off in the shared queue', async () => (await a.runtime.stores.queue.get(pupil.conversationId)) !== undefined);

    const onA = new AdviserClient(a.url);
    expect((await onA.login('sam')).status).toBe(200);
    expect((await onA.post(`/conversations/${pupil.conversationId}/claim`)).status).toBe(200);
    const refused = await onA.post(`/conversations/${pupil.conversationId}/messages`, { text: 'hello from the other instance' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('cannot be reached from this server');
    expect((await pupil.poll()).map((activity) => activity.text)).not.toContain('hello from the other instance');

    const onB = new AdviserClient(b.url);
    expect((await onB.login('sam')).status).toBe(200);
    expect((await onB.post(`/conversations/${pupil.conversationId}/messages`, { text: 'hello from the instance that has your chat' })).status).toBe(200);
    await retrying('the message reaches the pupil', async () => (await pupil.poll()).some((activity) => activity.text === 'hello from the instance that has your chat'), 10_000);
  }, 60_000);
});

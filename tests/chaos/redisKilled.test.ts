import { Redis } from 'ioredis';
import { RedisKeys } from '../../adapters/redis/keys';
import { DirectLineTestClient } from '../support/directLineClient';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { crisisReply, fromPupil, logOf, readyStatus, sleep, waitFor } from './chaosSupport';

const prefix = 'aof:';
const PASSWORD = 'a-long-test-password-3';

describe('fault: Redis killed mid-conversation and restarted with AOF on', () => {
  let redis: RedisServer;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    await redis?.destroy();
  });

  it('loses no hand-off request and no adviser message (each once), and the conversation resumes', async () => {
    redis = await startRedisServer({ appendonly: true });
    server = await startServerProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, ADVISER_USERNAME: 'jo', ADVISER_PASSWORD: PASSWORD });
    const base = server.url;
    const pupil = await DirectLineTestClient.start(base);
    await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));
    await pupil.send('I need an adviser');
    await pupil.send('yes');

    // the account is saved in the background at start-up
    const login = await waitFor(async () => {
      const response = await fetch(`${base}/api/adviser/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'jo', password: PASSWORD }) });
      return response.status === 200 && response;
    }, 'adviser login');
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const post = (route: string, body: unknown) =>
      fetch(`${base}/api/adviser/conversations/${pupil.conversationId}/${route}`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('claim', {})).status).toBe(200);
    expect((await post('messages', { text: 'before the crash' })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === 'before the crash');

    redis.kill('SIGKILL');
    await sleep(300);
    // During the outage: the adviser is told to try again (503), never silently dropped...
    const refused = await post('messages', { text: 'during the crash' });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    // ...and the pupil still gets the crisis reply, while the urgent request waits in the process.
    const crisis = await pupil.send('i want to end my life');
    expect(crisis.status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === crisisReply, 5000);

    redis = await startRedisServer({ port: redis.port, dir: redis.dir, appendonly: true });
    await waitFor(async () => (await readyStatus(base)) === 200, '/readyz 200 after the restart', 15_000);
    // the adviser's retry goes through; the session and the claim survived in the AOF
    await waitFor(async () => (await post('messages', { text: 'during the crash' })).status === 200, 'the retried adviser message', 10_000, 500);
    expect((await post('messages', { text: 'after the crash' })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === 'after the crash', 5000);

    const inspector = new Redis(redis.url);
    try {
      const item = await waitFor(
        async () => {
          const raw = await inspector.get(new RedisKeys(prefix).queueItem(pupil.conversationId));
          const parsed = raw ? (JSON.parse(raw) as { flags: string[]; priority: string; status: string; claimedBy: string }) : undefined;
          return parsed?.flags.includes('crisis') && parsed;
        },
        'the crisis flag on the queued request',
        10_000,
      );
      expect(item).toMatchObject({ priority: 'urgent', status: 'claimed', claimedBy: 'jo' });
      expect(item.flags).toEqual(expect.arrayContaining(['asked-for-adviser', 'crisis']));

      // The conversation resumes: the pupil's reply reaches the adviser.
      await pupil.send('thank you');
      const view = (await (await fetch(`${base}/api/adviser/conversations/${pupil.conversationId}`, { headers: { cookie } })).json()) as { transcript: { from: string; text: string }[] };
      expect(view.transcript.filter((entry) => entry.from === 'pupil' && entry.text === 'thank you')).toHaveLength(1);

      const log = await waitFor(
        async () => {
          const stored = await logOf(inspector, prefix, pupil.conversationId);
          return stored.some((activity) => activity.text === crisisReply) && stored;
        },
        'the held crisis turn written to Redis',
        10_000,
      );
      const adviserSaid = log.filter((activity) => ['before the crash', 'during the crash', 'after the crash'].includes(activity.text ?? '')).map((activity) => activity.text);
      expect(adviserSaid).toEqual(['before the crash', 'during the crash', 'after the crash']);
      expect(log.filter((activity) => fromPupil(activity) && activity.text === 'i want to end my life')).toHaveLength(1);
      expect(log.filter((activity) => activity.text === crisisReply)).toHaveLength(1);
      const ids = log.map((activity) => activity.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      inspector.disconnect();
    }
  }, 90_000);
});

import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { DirectLineTestClient } from '../support/directLineClient';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { serverEntry, startServerProcess, type ServerProcess } from '../support/serverProcess';
import path from 'node:path';

const PASSWORD = 'a-long-test-password-2';

async function login(base: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${base}/api/adviser/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'jo', password: PASSWORD }) });
  expect(response.status).toBe(200);
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0], csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** Two server processes on one real Redis: the adviser on one, the pupil on the other. */
describe('adviser relay across instances', () => {
  let redis: RedisServer;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { REDIS_URL: redis.url, REDIS_KEY_PREFIX: 'relay:' };
    // The account is made with the CLI, as an operator would.
    const added = spawnSync(process.execPath, [path.join(path.dirname(serverEntry), 'adviser', 'addAdviser.js'), 'jo'], {
      env: { PATH: process.env.PATH, ...env, ADVISER_PASSWORD: PASSWORD },
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    expect(added.stdout).toContain('Adviser jo saved');
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await redis?.destroy();
  });

  it('relays both ways, in order, with the adviser on instance A and the pupil on instance B', async () => {
    const pupil = await DirectLineTestClient.start(b.url);
    await pupil.send('I need an adviser');
    await pupil.send('yes');
    const adviser = await login(a.url);
    const post = (route: string, body: unknown) =>
      fetch(`${a.url}/api/adviser/conversations/${pupil.conversationId}/${route}`, {
        method: 'POST',
        headers: { cookie: adviser.cookie, 'x-csrf-token': adviser.csrf, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    const queue = (await (await fetch(`${a.url}/api/adviser/queue`, { headers: { cookie: adviser.cookie } })).json()) as { items: { conversationId: string }[] };
    expect(queue.items.map((item) => item.conversationId)).toContain(pupil.conversationId);
    expect((await post('claim', {})).status).toBe(200);
    for (const text of ['one', 'two', 'three']) expect((await post('messages', { text })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === 'three');
    const fromAdviser = pupil.seen.filter((activity) => ['one', 'two', 'three'].includes(activity.text ?? '')).map((activity) => activity.text);
    expect(fromAdviser).toEqual(['one', 'two', 'three']);

    for (const text of ['first reply', 'second reply']) await pupil.send(text);
    const view = (await (await fetch(`${a.url}/api/adviser/conversations/${pupil.conversationId}`, { headers: { cookie: adviser.cookie } })).json()) as {
      transcript: { from: string; text: string }[];
    };
    expect(
      view.transcript
        .filter((entry) => entry.from !== 'bot')
        .slice(-5)
        .map((entry) => `${entry.from}:${entry.text}`),
    ).toEqual(['adviser:one', 'adviser:two', 'adviser:three', 'pupil:first reply', 'pupil:second reply']);
  }, 30_000);
});

import { Redis } from 'ioredis';
import { RedisKeys } from '../../adapters/redis/keys';
import { AdviserClient, ADVISER_PASSWORD as PASSWORD } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { startRedisSentinel, type RedisSentinelGroup } from '../support/redisSentinel';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { retrying } from '../support/retrying';

const PREFIX = 'rs:';
const keys = new RedisKeys(PREFIX);
const IN_HOURS = '2026-11-23T10:00:00Z';
const text = (id: string) => content.answer(id).text;
const isBotMessage = (activity: DLActivity) => activity.from?.role === 'bot' && activity.type === 'message';
const OFFERED = new Set(['triage.offer', 'triage.offer-online'].map(text));
const QUEUED = new Set(['handoff.queued', 'handoff.queued-online'].map(text));

/** The bot on REDIS_SENTINELS: a master with a password, one replica and a sentinel that promotes it. */
describe('the bot on a Sentinel group', () => {
  let group: RedisSentinelGroup;
  let bot: ServerProcess;
  let adviser: AdviserClient;

  beforeAll(async () => {
    group = await startRedisSentinel({ downAfterMs: 1000 });
    bot = await startServerProcess({
      REDIS_SENTINELS: group.sentinels,
      REDIS_SENTINEL_NAME: group.name,
      REDIS_PASSWORD: group.password,
      REDIS_KEY_PREFIX: PREFIX,
      ADVISER_USERNAME: 'sam',
      ADVISER_PASSWORD: PASSWORD,
      BOT_CLOCK: IN_HOURS,
    });
    adviser = new AdviserClient(bot.url);
    expect((await adviser.login('sam')).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await bot?.kill();
    await group?.destroy();
  });

  const say = async (pupil: DirectLineTestClient, said: string) => {
    expect((await pupil.send(said)).status).toBe(200);
    return (await pupil.poll()).filter(isBotMessage).map((activity) => activity.text);
  };
  const handOff = async (pupil: DirectLineTestClient) => {
    await retrying('the offer', async () => (await say(pupil, 'can I speak to an actual person')).some((reply) => OFFERED.has(reply ?? '')));
    await retrying('the hand-off', async () => (await say(pupil, 'yes')).some((reply) => QUEUED.has(reply ?? '')));
  };
  const queued = async () => ((await (await adviser.get('/queue')).json()) as { items: { conversationId: string }[] }).items.map((item) => item.conversationId);

  it('runs on the master Sentinel names, and after the master dies and the replica is promoted recovers by itself with nothing committed lost', async () => {
    const pupil = await DirectLineTestClient.start(bot.url);
    await pupil.poll();
    await handOff(pupil);
    expect((await adviser.post(`/conversations/${pupil.conversationId}/claim`)).status).toBe(200);
    expect((await adviser.post(`/conversations/${pupil.conversationId}/messages`, { text: 'before the failover' })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === 'before the failover');
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    // The data is on the master Sentinel names, under the password.
    const master = new Redis({ port: group.master.port, host: '127.0.0.1', password: group.password, lazyConnect: true });
    try {
      expect(await master.exists(keys.log(pupil.conversationId))).toBe(1);
      // Redis replicates asynchronously: the master dies once its replica has what was acknowledged.
      await retrying('the replica catches up', async () => {
        const replication = await master.info('replication');
        const offset = Number(/^master_repl_offset:(\d+)/m.exec(replication)?.[1]);
        const replica = Number(/^slave0:.*offset=(\d+)/m.exec(replication)?.[1]);
        return replica >= offset;
      });
    } finally {
      master.disconnect();
    }

    group.master.kill('SIGKILL');
    await retrying('Sentinel promotes the replica', async () => (await group.masterPort()) === group.replica.port, 30_000);

    // No restart: the process finds the new master by itself, with what was committed before.
    await retrying('/readyz', async () => (await fetch(`${bot.url}/readyz`)).status === 200, 20_000);
    await retrying('the adviser message after the failover', async () => (await adviser.post(`/conversations/${pupil.conversationId}/messages`, { text: 'after the failover' })).status === 200);
    await pupil.waitForBot((activity) => activity.text === 'after the failover', 10_000);
    const view = (await (await adviser.get(`/conversations/${pupil.conversationId}`)).json()) as { transcript: { from: string; text: string }[] };
    expect(view.transcript.filter((line) => line.from === 'adviser').map((line) => line.text)).toEqual(['before the failover', 'after the failover']);
    expect(await queued()).toContain(pupil.conversationId);
    const next = await DirectLineTestClient.start(bot.url);
    await next.poll();
    await handOff(next);
    expect(await queued()).toContain(next.conversationId);
  }, 90_000);
});

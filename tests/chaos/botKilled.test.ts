import { Redis } from 'ioredis';
import { DirectLineTestClient } from '../support/directLineClient';
import { isOverviewOf, overviewText, routedText } from '../support/contentText';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { busyRedis, fromBot, fromPupil, logOf, sleep, waitFor } from './chaosSupport';

const prefix = 'killed:';

describe('fault: the bot process killed', () => {
  let redis: RedisServer;
  let inspector: Redis;
  const running: ServerProcess[] = [];
  const start = async () => {
    const server = await startServerProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix });
    running.push(server);
    return server;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    inspector = new Redis(redis.url);
  });
  afterAll(async () => {
    inspector?.disconnect();
    await Promise.all(running.map((server) => server.kill()));
    await redis?.destroy();
  });

  it('SIGKILL mid-turn: restarted on the same Redis, the same token works and the conversation goes on from its saved state', async () => {
    const first = await start();
    const pupil = await DirectLineTestClient.start(first.url);
    await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));
    await pupil.send('Apprenticeships');
    await pupil.waitForBot(isOverviewOf('apprenticeships'));
    await pupil.send('apprenticeship levels');
    await pupil.waitForBot((activity) => activity.text === routedText('apprenticeship levels'));

    // Redis slowed down so the next turn is surely in progress when the process dies.
    const busy = busyRedis(redis.url, 1500);
    await sleep(100);
    const lost = pupil.send('University').catch(() => undefined);
    await sleep(300);
    await first.kill();
    await lost;
    await busy;

    const second = await start();
    const resumed = pupil.via(second.url);
    const sent = await resumed.send('back');
    expect(sent.status).toBe(200);
    // the dialog is where its last saved turn left it (levels, reached from the overview), so "back" goes to the overview
    await resumed.waitForBot(isOverviewOf('apprenticeships'), 5000);

    const log = await logOf(inspector, prefix, pupil.conversationId);
    const killedTurn = log.find((activity) => fromPupil(activity) && activity.text === 'University');
    // a turn killed before it finished published nothing
    if (killedTurn) expect(log.filter((activity) => fromBot(activity) && activity.replyToId === killedTurn.id)).toEqual([]);
    expect(log.some((activity) => activity.text === overviewText('higher-education'))).toBe(false);
    expect(
      log
        .filter(fromPupil)
        .map((activity) => activity.text)
        .filter((text) => text !== 'University'),
    ).toEqual(['Apprenticeships', 'apprenticeship levels', 'back']);
    await second.kill();
  }, 60_000);

  it('SIGTERM drains the turn in progress: its reply is written, then the process exits 0', async () => {
    const server = await start();
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.waitForBot((activity) => Boolean(activity.suggestedActions));

    const busy = busyRedis(redis.url, 1000);
    await sleep(100);
    const inFlight = pupil.send('After 16');
    await sleep(200);
    const stopping = Date.now();
    const exitCode = server.stop().then((code) => {
      process.stdout.write(`SIGTERM to exit: ${Date.now() - stopping} ms\n`);
      return code;
    });
    const sent = await inFlight;
    expect(sent.status).toBe(200);
    expect(await exitCode).toBe(0);
    await busy;

    const log = await waitFor(
      async () => {
        const stored = await logOf(inspector, prefix, pupil.conversationId);
        return stored.some((activity) => activity.replyToId === sent.id) && stored;
      },
      'the drained turn in the log',
      3000,
    );
    expect(log.filter((activity) => activity.replyToId === sent.id).map((activity) => activity.text)).toContain(overviewText('post16'));
    expect(server.output()).toContain('"msg":"shutting down"');
  }, 60_000);
});

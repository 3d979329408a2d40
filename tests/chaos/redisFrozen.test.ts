import { Redis } from 'ioredis';
import { DirectLineTestClient } from '../support/directLineClient';
import { isOverviewOf } from '../support/contentText';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { fromPupil, logOf, readyStatus, rssKb, safeReply, waitFor } from './chaosSupport';

const prefix = 'frozen:';

describe('fault: Redis frozen (SIGSTOP)', () => {
  let server: ServerProcess | undefined;
  let redis: RedisServer | undefined;
  afterAll(async () => {
    redis?.kill('SIGCONT');
    await server?.kill();
    await redis?.destroy();
  });

  it('fails turns fast with the safe reply, keeps memory flat through a burst, and carries on after SIGCONT', async () => {
    redis = await startRedisServer();
    // The burst below is many messages from one conversation: the per-conversation message limit
    // (which would rightly answer 429) is off, so every message goes through the frozen store.
    server = await startServerProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_MESSAGES_PER_MINUTE: '0', RATE_LIMIT_POLLS_PER_MINUTE: '0' });
    const pupils = await Promise.all(Array.from({ length: 5 }, () => DirectLineTestClient.start(server!.url)));
    await Promise.all(pupils.map((pupil) => pupil.waitForBot((activity) => Boolean(activity.suggestedActions))));
    // warm-up with Redis answering
    for (let round = 0; round < 4; round += 1) await Promise.all(pupils.map((pupil) => pupil.send(`zzqx warm ${round}`)));

    redis.kill('SIGSTOP');
    const first = pupils[0];
    const asked = Date.now();
    const sent = await first.send('Apprenticeships');
    expect(sent.status).toBe(200);
    await first.waitForBot((activity) => activity.text === safeReply && activity.replyToId === sent.id, 8000);
    const firstReplyMs = Date.now() - asked;
    expect(firstReplyMs).toBeLessThan(5000);
    expect(await readyStatus(server.url)).toBe(503);

    // Warm the degraded path, then a burst of 200 turns, 10 at a time, sampling memory.
    for (const pupil of pupils) await pupil.send('zzqx degraded warm-up');
    const baseline = rssKb(server.pid);
    const samples: number[] = [];
    const slowest: number[] = [];
    let sentIds: string[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      const results = await Promise.all(
        Array.from({ length: 10 }, async (_, n) => {
          const started = Date.now();
          const result = await pupils[n % pupils.length].send(`zzqx burst ${batch}-${n}`);
          return { ...result, ms: Date.now() - started };
        }),
      );
      expect(results.map((result) => result.status)).toEqual(Array(10).fill(200));
      sentIds = sentIds.concat(results.map((result) => result.id ?? ''));
      slowest.push(Math.max(...results.map((result) => result.ms)));
      if (batch % 4 === 3) samples.push(rssKb(server.pid));
    }
    const peak = Math.max(...samples);
    expect(Math.max(...slowest)).toBeLessThan(3000);
    expect(peak).toBeLessThan(baseline * 1.3);

    // every burst message got the safe reply while Redis was still frozen
    for (const pupil of pupils) await pupil.poll();
    const answered = new Set(pupils.flatMap((pupil) => pupil.seen.filter((activity) => activity.text === safeReply).map((activity) => activity.replyToId)));
    expect(sentIds.filter((id) => !answered.has(id))).toEqual([]);

    redis.kill('SIGCONT');
    await waitFor(async () => (await readyStatus(server!.url)) === 200, '/readyz 200 after SIGCONT', 10_000);
    const resumed = await first.send('After 16');
    expect(resumed.status).toBe(200);
    await first.waitForBot(isOverviewOf('post16'), 5000);

    // What was held in the process reached Redis, each activity once, in the pupil's order.
    const inspector = new Redis(redis.url);
    try {
      await waitFor(async () => {
        const log = await logOf(inspector, prefix, first.conversationId);
        return log.some((activity) => activity.replyToId === resumed.id);
      }, 'the resumed turn in the log');
      for (const pupil of pupils) {
        // held activities are offered to Redis again every second
        const log = await waitFor(async () => {
          const stored = await logOf(inspector, prefix, pupil.conversationId);
          return stored.filter((activity) => activity.text?.startsWith('zzqx burst')).length >= 40 && stored;
        }, 'the held activities in Redis');
        const ids = log.map((activity) => activity.id);
        expect(new Set(ids).size).toBe(ids.length);
        const said = log.filter(fromPupil).map((activity) => activity.text);
        const burst = said.filter((text) => text?.startsWith('zzqx burst'));
        // A client that was behind when Redis froze may be sent some activities again afterwards;
        // Web Chat keeps one per id, and so does this check.
        const seen = [...new Map(pupil.seen.filter(fromPupil).map((activity) => [activity.id, activity.text])).values()];
        expect(burst).toEqual(seen.filter((text) => text?.startsWith('zzqx burst')));
        expect(burst.length).toBe(40);
      }
    } finally {
      inspector.disconnect();
    }
    process.stdout.write(`redis frozen: first safe reply ${firstReplyMs} ms; slowest burst turn ${Math.max(...slowest)} ms; RSS baseline ${baseline} kB, peak ${peak} kB\n`);
  }, 90_000);
});

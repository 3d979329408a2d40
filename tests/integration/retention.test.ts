import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createRuntime, type Runtime } from '../../adapters/composition';
import { loadConfig } from '../../adapters/config/config';
import { silentLogger } from '../../adapters/logging/logger';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { createRedisStores } from '../../adapters/redis/redisStores';
import type { Stores } from '../../bot/ports';
import { AdviserClient } from '../support/adviserClient';
import { DirectLineTestClient, headers } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { dumpRedis, keysMentioning, type DumpedKey } from '../support/redisDump';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const DAY_MS = 86_400_000;
const PASSWORD = 'a-long-test-password-1';
const word = () => `wuzzle${randomBytes(4).toString('hex').replace(/\d/g, 'k')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A key's family: its name after the prefix, without the conversation id or other variable part. */
function familyOf(key: string, prefix: string): string {
  // hash tags (docs/redis-cluster.md) are not part of a family's name
  const rest = key.slice(prefix.length).replace(/[{}]/g, '');
  const rules: [RegExp, string][] = [
    [/^state:/, 'state'],
    [/^dl:[^:]+:meta$/, 'dl:meta'],
    [/^dl:[^:]+:log$/, 'dl:log'],
    [/^dl:bodies$/, 'dl:bodies'],
    [/^transcript:texts$/, 'transcript:texts'],
    [/^transcript:/, 'transcript'],
    [/^queue:item:/, 'queue:item'],
    [/^queue:open$/, 'queue:open'],
    [/^secret:/, 'secret'],
    [/^kv:ref:/, 'kv:ref'],
    [/^kv:adviser:notes:/, 'kv:adviser:notes'],
    [/^kv:adviser:outcome:/, 'kv:adviser:outcome'],
    [/^kv:adviser:session:/, 'kv:adviser:session'],
    [/^kv:adviser:account:/, 'kv:adviser:account'],
    [/^kv:adviser:fail:/, 'kv:adviser:fail'],
    [/^kv:adviser:schools:/, 'kv:adviser:schools'],
    [/^kv:adviser:closed:/, 'kv:adviser:closed'],
    [/^kv:adviser:presence-roster$/, 'kv:adviser:presence-roster'],
    [/^kv:adviser:presence:/, 'kv:adviser:presence'],
    [/^kv:adviser:saved-replies:/, 'kv:adviser:saved-replies'],
    [/^kv:feedback:ask:/, 'kv:feedback:ask'],
    [/^kv:feedback:voted:/, 'kv:feedback:voted'],
    [/^rl:/, 'rl'],
    [/^insights:[^:]+:[^:]+:pickups$/, 'insights:pickups'],
    [/^insights:/, 'insights'],
  ];
  return rules.find(([pattern]) => pattern.test(rest))?.[1] ?? `unknown:${rest}`;
}

describe('retention on real Redis: every key the whole app writes has the RETENTION_DAYS TTL', () => {
  const prefix = 'ret:';
  const retentionDays = 3;
  let redis: RedisServer;
  let bot: InProcessServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    bot = await startInProcess({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, RETENTION_DAYS: String(retentionDays), ADVISER_USERNAME: 'sam', ADVISER_PASSWORD: PASSWORD, NODE_ENV: 'development' });
  }, 30_000);
  afterAll(async () => {
    await bot?.close();
    await redis?.destroy();
  });

  it('after conversations with a hand-off, an adviser, notes and an outcome', async () => {
    const pupil = await DirectLineTestClient.start(bot.url);
    // a guidance answer, which carries the thumbs pressed below
    await pupil.send('how do apprenticeships work');
    await pupil.send('can I speak to an actual person');
    await pupil.send('yes');
    const adviser = new AdviserClient(bot.url);
    expect((await new AdviserClient(bot.url).login('sam', 'wrong-password-123')).status).toBe(401);
    expect((await adviser.login('sam', PASSWORD)).status).toBe(200);
    const id = pupil.conversationId;
    expect((await adviser.post(`/conversations/${id}/claim`)).status).toBe(200);
    expect((await adviser.post(`/conversations/${id}/messages`, { text: 'Hi, I am Sam' })).status).toBe(200);
    expect((await adviser.post(`/conversations/${id}/close`, { note: 'talked about apprenticeships' })).status).toBe(200);
    // presence, a saved reply and a thumb on an answer write keys of their own
    expect(
      (
        await fetch(`${bot.url}/api/adviser/presence`, {
          method: 'PUT',
          headers: { cookie: adviser.cookie, 'x-csrf-token': adviser.csrf, 'content-type': 'application/json' },
          body: '{"status":"available"}',
        })
      ).status,
    ).toBe(200);
    expect((await adviser.post('/saved-replies', { scope: 'shared', name: 'hello', title: 'Hello', text: 'Hello from {school}.' })).status).toBe(201);
    const answer = (await pupil.poll()).find((activity) => Array.isArray(activity.entities));
    const [like] = ((answer?.entities as { potentialAction: Record<string, unknown>[] }[] | undefined) ?? [])[0]?.potentialAction ?? [];
    expect(await pupil.post({ type: 'event', name: 'webchat:activity-status/feedback', entities: [like] })).toBe(200);
    const other = await DirectLineTestClient.start(bot.url);
    await other.send('I need an adviser');
    await other.send('yes');

    const inspector = new Redis(redis.url);
    let dump: DumpedKey[];
    try {
      dump = await dumpRedis(inspector);
    } finally {
      inspector.disconnect();
    }
    const retention = retentionDays * DAY_MS;
    // Pupils' data and what points at it: exactly the retention period (less the seconds this test took).
    // dl:bodies and transcript:texts hold the bot's own replies (content, shared by all conversations)
    const retained = [
      'state',
      'dl:meta',
      'dl:log',
      'dl:bodies',
      'transcript',
      'transcript:texts',
      'queue:item',
      'queue:open',
      'secret',
      'kv:ref',
      'kv:adviser:notes',
      'kv:adviser:outcome',
      'kv:adviser:closed',
      'kv:feedback:ask',
    ];
    // Advisers' own records, never a pupil's: their own shorter or documented lifetimes.
    // Adviser records have their own lifetimes; the schools' insights are anonymous counts kept two years.
    const ownLifetime: Record<string, number> = {
      'kv:adviser:session': 30 * 60_000,
      'kv:adviser:fail': 15 * 60_000,
      'kv:adviser:account': 365 * DAY_MS,
      'kv:adviser:schools': 365 * DAY_MS,
      // an adviser's status lapses to away unless the console renews it; the roster of names, a year
      'kv:adviser:presence': 10 * 60_000,
      'kv:adviser:presence-roster': 365 * DAY_MS,
      // staff content, renewed at each save
      'kv:adviser:saved-replies': 5 * 365 * DAY_MS,
      // that a thumb was counted (not which way, nor for whom), to count one per answer
      'kv:feedback:voted': DAY_MS,
      insights: 730 * DAY_MS,
      'insights:pickups': 730 * DAY_MS,
      // rate-limit counters: a hash of the address or conversation, for one window
      rl: 60_000,
    };
    const wrong: string[] = [];
    for (const { key, pttl } of dump) {
      const family = familyOf(key, prefix);
      if (!key.startsWith(prefix)) wrong.push(`${key}: outside the prefix`);
      else if (retained.includes(family)) {
        if (!(pttl > retention - 10 * 60_000 && pttl <= retention)) wrong.push(`${key}: TTL ${pttl} ms is not the retention period`);
      } else if (family in ownLifetime) {
        if (!(pttl > 0 && pttl <= ownLifetime[family])) wrong.push(`${key}: TTL ${pttl} ms`);
      } else wrong.push(`${key}: a key family this test does not know (${family})`);
    }
    expect(wrong).toEqual([]);
    // Every family was seen, so none escaped the check by not being written.
    expect(new Set(dump.map((entry) => familyOf(entry.key, prefix)))).toEqual(new Set([...retained, ...Object.keys(ownLifetime)]));
  });
});

describe('retention on real Redis: data stays while within the retention period and then vanishes', () => {
  const prefix = 'exp:';
  const retentionMs = 5000;
  let redis: RedisServer;
  let stores: Stores;
  let runtime: Runtime;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    // The stores take the retention in days, so a few seconds is a fraction of a day.
    stores = createRedisStores({ url: redis.url, keyPrefix: prefix, retentionDays: retentionMs / DAY_MS });
    runtime = await createRuntime(loadConfig({ NODE_ENV: 'test' }), silentLogger, { stores });
    server = createServer(runtime.app);
    runtime.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 30_000);
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await runtime?.close();
    await redis?.destroy();
  });

  it('for every key family the stores write, on the real server clock', async () => {
    const said = word();
    const pupil = await DirectLineTestClient.start(url);
    const id = pupil.conversationId;
    await pupil.send(`my dog ${said} wants me to be a vet`);
    await pupil.send('Apprenticeships');
    // The queue directly, since a hand-off also saves a reference under the configured whole-day retention.
    await stores.queue.enqueue({
      conversationId: id,
      flags: ['asked-for-adviser'],
      priority: 'standard',
      channel: 'directline',
      summary: 'Topic: apprenticeships. Flags: asked-for-adviser.',
      school: 'default',
      at: new Date(),
    });
    await stores.keyValue.set(`probe:${id}`, said, retentionMs);

    const inspector = new Redis(redis.url);
    try {
      const everything = await dumpRedis(inspector);
      expect(new Set(everything.map((entry) => familyOf(entry.key, prefix)))).toEqual(
        new Set(['state', 'dl:meta', 'dl:log', 'dl:bodies', 'transcript', 'transcript:texts', 'queue:item', 'queue:open', 'secret', 'insights', 'rl', `unknown:kv:probe:${id}`]),
      );
      // Rate-limit counters hold a count under a hash, nothing of the pupil, for one window of at most a minute.
      const counters = everything.filter((entry) => familyOf(entry.key, prefix) === 'rl');
      expect(keysMentioning(counters, said)).toEqual([]);
      expect(keysMentioning(counters, id)).toEqual([]);
      for (const { key, pttl } of counters) expect({ key, ok: pttl > 0 && pttl <= 60_000 }).toEqual({ key, ok: true });
      // The school's insights are anonymous counts, kept for two years by design: nothing of the pupil in them.
      const insights = everything.filter((entry) => familyOf(entry.key, prefix).startsWith('insights'));
      expect(keysMentioning(insights, said)).toEqual([]);
      expect(keysMentioning(insights, id)).toEqual([]);
      for (const { key, pttl } of insights) expect({ key, ok: pttl > retentionMs && pttl <= 730 * DAY_MS }).toEqual({ key, ok: true });
      const dump = everything.filter((entry) => !insights.includes(entry) && !counters.includes(entry));
      expect(keysMentioning(dump, said).length).toBeGreaterThanOrEqual(3);
      for (const { key, pttl } of dump) expect({ key, ok: pttl > 0 && pttl <= retentionMs }).toEqual({ key, ok: true });
      expect(await stores.transcripts.read(id)).not.toEqual([]);
      expect(await stores.queue.get(id)).toBeDefined();

      // Watch every key until it goes: each must still be there until just before its TTL runs out,
      // and gone soon after. EXISTS sees exactly what the server's clock says.
      const observedAt = Date.now();
      const watch: { key: string; earliest: number; latest: number; lastSeen: number; goneAt: number }[] = [];
      for (const { key } of dump) {
        const asked = Date.now();
        const pttl = await inspector.pttl(key);
        // The server read its clock between asking and answering.
        watch.push({ key, earliest: asked + pttl, latest: Date.now() + pttl, lastSeen: asked, goneAt: 0 });
      }
      const deadline = observedAt + retentionMs + 3000;
      while (watch.some((entry) => entry.goneAt === 0) && Date.now() < deadline) {
        for (const entry of watch.filter((candidate) => candidate.goneAt === 0)) {
          const checkedAt = Date.now();
          if ((await inspector.exists(entry.key)) === 1) entry.lastSeen = checkedAt;
          else entry.goneAt = checkedAt;
        }
        await sleep(50);
      }
      for (const entry of watch) {
        expect({ key: entry.key, vanished: entry.goneAt > 0 }).toEqual({ key: entry.key, vanished: true });
        expect({ key: entry.key, early: entry.goneAt < entry.earliest - 20 }).toEqual({ key: entry.key, early: false });
        expect({ key: entry.key, seenUntilNearExpiry: entry.lastSeen >= entry.earliest - 600 }).toEqual({ key: entry.key, seenUntilNearExpiry: true });
        expect({ key: entry.key, late: entry.goneAt > entry.latest + 1500 }).toEqual({ key: entry.key, late: false });
      }
      // The conversation's own keys were written in the last moments and got the whole period.
      const conversationKeys = watch.filter((entry) => entry.key.includes(id));
      for (const entry of conversationKeys) expect(entry.goneAt - observedAt).toBeGreaterThan(retentionMs - 2000);

      // Left: the insights, and rate-limit counters of at most a minute (checked above).
      const left = (await dumpRedis(inspector)).filter((entry) => familyOf(entry.key, prefix) !== 'rl');
      expect(left.map((entry) => entry.key)).toEqual(insights.map((entry) => entry.key));
      expect(await stores.transcripts.read(id)).toEqual([]);
      expect(await stores.queue.get(id)).toBeUndefined();
      expect(await stores.conversations.getMeta(id)).toBeUndefined();
      expect(await stores.state.read([`directline/conversations/${id}/`])).toEqual({});
      const poll = await fetch(`${url}/v3/directline/conversations/${id}/activities`, { headers: headers(pupil.token) });
      expect(poll.status).toBe(404);
    } finally {
      inspector.disconnect();
    }
  }, 20_000);
});

describe('retention on the in-process stores', () => {
  it('keeps every kind of record until the retention period ends, then drops it; a write starts it again', async () => {
    const retentionDays = 2;
    const retention = retentionDays * DAY_MS;
    let now = Date.parse('2026-11-23T10:00:00Z');
    const stores = createMemoryStores({ retentionDays, now: () => now });
    const c = 'convretention1';
    const stateKey = `directline/conversations/${c}/`;
    const renewed = `directline/conversations/${c}-renewed/`;
    const writeAll = async () => {
      await stores.state.write({ [stateKey]: { said: 'hello' }, [renewed]: { said: 'hi' } });
      await stores.conversations.create({ conversationId: c, userId: 'u', createdAt: new Date(now).toISOString(), started: true });
      await stores.conversations.append(c, [{ text: 'hello' }]);
      await stores.transcripts.append(c, [{ from: 'pupil', text: 'hello', timestamp: new Date(now).toISOString() }]);
      await stores.queue.enqueue({ conversationId: c, flags: ['send'], priority: 'high', channel: 'directline', summary: 's', school: 'default', at: new Date(now) });
      await stores.secrets.getOrCreate('signing-a', 'value');
      await stores.secrets.getOrCreate('signing-b', 'value');
      await stores.keyValue.set(`ref:${c}`, 'reference', retention);
    };
    const readAll = async () => ({
      state: Object.keys(await stores.state.read([stateKey])),
      meta: (await stores.conversations.getMeta(c))?.conversationId,
      log: (await stores.conversations.read(c, 0)).activities.length,
      transcript: (await stores.transcripts.read(c)).length,
      queue: (await stores.queue.get(c))?.conversationId,
      reference: await stores.keyValue.get(`ref:${c}`),
    });
    try {
      await writeAll();
      now += retention / 2;
      await stores.state.write({ [renewed]: { said: 'hi again' } });
      now += retention / 2 - 1;
      expect(await readAll()).toEqual({ state: [stateKey], meta: c, log: 1, transcript: 1, queue: c, reference: 'reference' });
      // Reading a secret renews it (by design), so one is read just before the end and one just after.
      expect(await stores.secrets.getOrCreate('signing-a', 'other')).toBe('value');
      now += 1;
      expect(await readAll()).toEqual({ state: [], meta: undefined, log: 0, transcript: 0, queue: undefined, reference: undefined });
      expect(await stores.secrets.getOrCreate('signing-b', 'other')).toBe('other');
      expect(Object.keys(await stores.state.read([renewed]))).toEqual([renewed]);
      now += retention / 2;
      expect(await stores.state.read([renewed])).toEqual({});
    } finally {
      await stores.close();
    }
  });
});

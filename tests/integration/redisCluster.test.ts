import { randomBytes } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { RedisKeys } from '../../adapters/redis/keys';
import { Pupil, RoundRobin, type PupilCounters } from '../../bench/loadClient';
import { AdviserClient, ADVISER_PASSWORD as PASSWORD } from '../support/adviserClient';
import { content } from '../support/contentText';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { startRedisCluster, type RedisCluster } from '../support/redisCluster';
import { startServerProcess, type ServerProcess } from '../support/serverProcess';
import { retrying } from '../support/retrying';

const PREFIX = 'rc:';
const keys = new RedisKeys(PREFIX);
const SECRET = randomBytes(16).toString('hex');
/** Within advisers' hours (a Monday in term, 10am), whatever the time the suite runs. */
const IN_HOURS = '2026-11-23T10:00:00Z';
const text = (id: string) => content.answer(id).text;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isBotMessage = (activity: DLActivity) => activity.from?.role === 'bot' && activity.type === 'message';
const OFFERED = new Set(['triage.offer', 'triage.offer-online'].map(text));
const QUEUED = new Set(['handoff.queued', 'handoff.queued-online'].map(text));

/** The slot of a key, as the cluster computes it. */
const slotOf = async (client: Cluster, key: string) => Number(await client.call('CLUSTER', 'KEYSLOT', key));

/**
 * Two bot processes on a real Redis Cluster of three masters with a replica each: a pupil on
 * one, an adviser on the other. One cluster for the whole file (a few seconds to start); the
 * failover test, which kills a master, comes last.
 */
describe('two bot processes on a three-master Redis Cluster', () => {
  let cluster: RedisCluster;
  let a: ServerProcess;
  let b: ServerProcess;
  let inspector: Cluster;
  let adviser: AdviserClient;

  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1, nodeTimeoutMs: 2000 });
    inspector = cluster.client();
    const env = {
      REDIS_CLUSTER_NODES: cluster.urls.join(','),
      REDIS_KEY_PREFIX: PREFIX,
      ADVISER_USERNAME: 'sam',
      ADVISER_PASSWORD: PASSWORD,
      BOT_CLOCK: IN_HOURS,
      DIRECTLINE_SECRET: SECRET,
      // every pupil of this test comes from one address
      RATE_LIMIT_ADDRESS_PER_MINUTE: '0',
      RATE_LIMIT_CONVERSATIONS_PER_MINUTE: '0',
    };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    adviser = new AdviserClient(a.url);
    expect((await adviser.login('sam')).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await cluster?.destroy();
  });

  const started = async () => {
    const pupil = await DirectLineTestClient.start(b.url);
    await pupil.poll();
    return pupil;
  };
  const say = async (pupil: DirectLineTestClient, said: string) => {
    expect((await pupil.send(said)).status).toBe(200);
    return (await pupil.poll()).filter(isBotMessage).map((activity) => activity.text);
  };
  const queued = async () => ((await (await adviser.get('/queue')).json()) as { items: { conversationId: string }[] }).items.map((item) => item.conversationId);

  it("names every key of a conversation with its hash tag, so each script's keys share one slot", async () => {
    for (const id of [`${randomBytes(8).toString('hex')}`, 'a:1xK9-pL0_zQ', '19:meeting_Zm9v@thread.v2;messageid=1700000000000']) {
      const tag = RedisKeys.conversationTag(id);
      const own = [keys.state(`msteams/conversations/${id}/`), keys.state(`directline/conversations/${id}/`), keys.log(id), keys.logMeta(id), keys.logChannel(id), keys.transcript(id)];
      for (const key of own) expect({ key, tagged: key.slice(PREFIX.length).includes(tag) && !/[{}]/.test(PREFIX) }).toEqual({ key, tagged: true });
      // A turn's commit touches state, transcript, log and meta in one script; an append, the log and meta.
      const slots = new Set(await Promise.all(own.map((key) => slotOf(inspector, key))));
      expect(slots.size).toBe(1);
    }
    // The queue's scripts touch an item and the open set; the outbox's, an alert, the due set and a conversation's counters.
    expect(new Set(await Promise.all([keys.queueItem('x'), keys.queueItem('y'), keys.queueOpen].map((key) => slotOf(inspector, key)))).size).toBe(1);
    expect(new Set(await Promise.all([keys.alert('x'), keys.alertsDue, keys.alertCounters('y')].map((key) => slotOf(inspector, key)))).size).toBe(1);
  });

  it('hands off, relays both ways, closes and deletes the data, with the pupil on one process and the adviser on the other', async () => {
    const pupil = await started();
    const id = pupil.conversationId;
    await say(pupil, 'I want to be a vet');
    expect((await say(pupil, 'can I speak to an actual person')).some((reply) => OFFERED.has(reply ?? ''))).toBe(true);
    expect((await say(pupil, 'yes')).some((reply) => QUEUED.has(reply ?? ''))).toBe(true);

    expect(await queued()).toContain(id);
    expect((await adviser.post(`/conversations/${id}/claim`)).status).toBe(200);
    expect((await adviser.post(`/conversations/${id}/messages`, { text: 'Hi, I am Sam from the careers team' })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === 'Hi, I am Sam from the careers team');
    expect((await pupil.send('thanks, what grades do I need?')).status).toBe(200);
    await retrying("the pupil's words reach the adviser", async () => {
      const view = (await (await adviser.get(`/conversations/${id}`)).json()) as { transcript: { from: string; text: string }[] };
      return view.transcript.some((line) => line.from === 'pupil' && line.text === 'thanks, what grades do I need?');
    });
    expect((await adviser.post(`/conversations/${id}/close`, { outcome: 'resolved' })).status).toBe(200);
    await pupil.waitForBot((activity) => activity.text === text('handoff.adviser-left'));
    expect(await queued()).not.toContain(id);

    // Every key of the conversation is in its slot, apart from the queue's and the outbox's own (one slot each).
    const tagged = await cluster.keysMatching(`${PREFIX}*${id}*`);
    expect(tagged.length).toBeGreaterThan(3);
    const home = await slotOf(inspector, keys.log(id));
    for (const key of tagged.filter((name) => !name.startsWith(`${PREFIX}{queue}`) && !name.startsWith(`${PREFIX}{alerts}`) && !name.startsWith(`${PREFIX}kv:`))) {
      expect({ key, slot: await slotOf(inspector, key) }).toEqual({ key, slot: home });
    }

    expect(await say(pupil, 'can you delete my data please')).toEqual([text('privacy.delete-confirm')]);
    expect(await say(pupil, text('privacy.button-delete'))).toEqual([text('privacy.deleted')]);
    const left = await cluster.keysMatching(`${PREFIX}*${id}*`);
    // The blanked log and its meta stay, so the pupil's page can read the "deleted" reply.
    expect(left.sort()).toEqual([keys.log(id), keys.logMeta(id)].sort());
    expect(await inspector.lrange(keys.log(id), 0, -1)).not.toContainEqual(expect.stringContaining('vet'));
  });

  it('spreads the keys over the three masters and answers /readyz on both processes', async () => {
    const counters: PupilCounters = { conversations: 0, errors: 0 };
    const pupils = Array.from({ length: 30 }, (_, index) => new Pupil(new RoundRobin([a.url, b.url]), SECRET, index, counters));
    await Promise.all(pupils.map((pupil) => pupil.turn()));
    expect(counters.errors).toBe(0);
    const masters = await cluster.masters();
    try {
      expect(masters).toHaveLength(3);
      const perMaster = await Promise.all(masters.map(async ({ redis }) => (await redis.keys(`${PREFIX}*`)).length));
      const total = perMaster.reduce((sum, count) => sum + count, 0);
      // 30 and more conversations of several keys each: every master holds a fair share.
      for (const count of perMaster) expect(count).toBeGreaterThan(total / 10);
    } finally {
      for (const { redis } of masters) redis.disconnect();
    }
    for (const bot of [a, b]) expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
  });

  it('keeps an idle conversation in at most 4 KB of Redis on the cluster (per copy, as the benchmark measures it)', async () => {
    const counters: PupilCounters = { conversations: 0, errors: 0 };
    const pupils = Array.from({ length: 100 }, (_, index) => new Pupil(new RoundRobin([a.url, b.url]), SECRET, index, counters));
    // A first conversation of each script so the shared reply bodies are there before the reading.
    for (const pupil of pupils.slice(0, 10)) await pupil.turn();
    // Rate-limit counters lapse with their window (at most a minute): an idle conversation has none.
    const withoutCounters = async () => {
      for (const key of await cluster.keysMatching(`${PREFIX}rl:*`)) await inspector.del(key);
      await sleep(300);
      return cluster.usedMemory();
    };
    const before = await withoutCounters();
    // each pupil's whole script, then the conversation sits idle
    await Promise.all(
      pupils.map(async (pupil) => {
        for (let turn = 0; turn < 4; turn += 1) await pupil.turn();
      }),
    );
    const after = await withoutCounters();
    expect(counters.errors).toBe(0);
    const conversations = counters.conversations - 10;
    const perConversation = (after - before) / conversations;
    expect(conversations).toBeGreaterThanOrEqual(90);
    expect(perConversation).toBeLessThanOrEqual(4096);
  });

  it('loses nothing committed when the master of the queue and of a conversation freezes (no answer, no error), and recovers by itself once its replica takes over', async () => {
    const queueSlot = await slotOf(inspector, keys.queueOpen);
    const victim = await cluster.masterOf(queueSlot);
    const nodesSeen = async () => {
      const masters = await cluster.masters();
      try {
        // CLUSTER NODES lines: id address flags master-id ...
        return String(await masters[0].redis.call('CLUSTER', 'NODES'))
          .trim()
          .split('\n')
          .map((line) => line.split(' '))
          .map(([id, , flags, master]) => ({ id, flags: flags.split(','), master }));
      } finally {
        for (const { redis } of masters) redis.disconnect();
      }
    };
    const replica = (await nodesSeen()).find((node) => node.master === victim.id);
    expect(replica).toBeDefined();
    const transcript = async (id: string) => ((await (await adviser.get(`/conversations/${id}`)).json()) as { transcript: { from: string; text: string }[] }).transcript;
    const handOff = async (pupil: DirectLineTestClient) => {
      await retrying('the offer', async () => (await say(pupil, 'can I speak to an actual person')).some((reply) => OFFERED.has(reply ?? '')));
      await retrying('the hand-off', async () => (await say(pupil, 'yes')).some((reply) => QUEUED.has(reply ?? '')));
    };
    // Both ways, tried again as a client would until it gets through: the adviser's words reach the pupil, the pupil's the adviser.
    const relay = async (pupil: DirectLineTestClient, said: string) => {
      const id = pupil.conversationId;
      await retrying(`adviser message ${said}`, async () => (await adviser.post(`/conversations/${id}/messages`, { text: said })).status === 200);
      if (!pupil.seen.some((activity) => activity.text === said)) await pupil.waitForBot((activity) => activity.text === said, 10_000);
      await retrying(`pupil reply to ${said}`, async () => {
        if ((await transcript(id)).some((line) => line.from === 'pupil' && line.text === `thanks for ${said}`)) return true;
        await pupil.send(`thanks for ${said}`);
        return (await transcript(id)).some((line) => line.from === 'pupil' && line.text === `thanks for ${said}`);
      });
    };

    // A pupil whose conversation lives on the same master as the queue, so the freeze stops both.
    let pupil: DirectLineTestClient | undefined;
    for (let tries = 0; !pupil && tries < 40; tries += 1) {
      const candidate = await started();
      if ((await cluster.masterOf(await slotOf(inspector, keys.log(candidate.conversationId)))).id === victim.id) pupil = candidate;
    }
    if (!pupil) throw new Error('no conversation landed on the master of the queue');
    const id = pupil.conversationId;
    await handOff(pupil);
    expect((await adviser.post(`/conversations/${id}/claim`)).status).toBe(200);
    await relay(pupil, 'before the freeze');
    await cluster.replicasCaughtUp();

    const frozenAt = Date.now();
    const since = () => Date.now() - frozenAt;
    const timings: Record<string, number> = {};
    victim.server.kill('SIGSTOP');
    try {
      // The cluster fails the frozen master over to its replica (seen from another master)...
      const promoted = retrying(
        'the replica promoted',
        async () => {
          const seen = await nodesSeen();
          return Boolean(seen.find((node) => node.id === victim.id)?.flags.includes('fail') && seen.find((node) => node.id === replica?.id)?.flags.includes('master'));
        },
        30_000,
      ).then(() => (timings.promoted = since()));
      // ...while the pupil and the adviser carry on, each trying again as a client would.
      const carriedOn = relay(pupil, 'during the freeze').then(() => (timings.relayed = since()));
      await Promise.all([promoted, carriedOn]);
      // Both processes reach the frozen master's slots again, so a pupil who reloads the page now
      // begins a stored conversation (one begun during the outage lives on its own instance only):
      // a new hand-off, claimed on the other process, relayed both ways.
      let newcomer: DirectLineTestClient | undefined;
      await retrying('a conversation started', async () => {
        newcomer = await started();
        return true;
      });
      if (!newcomer) throw new Error('no conversation started');
      await handOff(newcomer);
      expect((await adviser.post(`/conversations/${newcomer.conversationId}/claim`)).status).toBe(200);
      await relay(newcomer, 'after the freeze');
      timings.newHandOff = since();
      for (const bot of [a, b]) await retrying('/readyz', async () => (await fetch(`${bot.url}/readyz`)).status === 200, 10_000);
      timings.ready = since();
      console.log(`frozen master: ms after SIGSTOP ${JSON.stringify(timings)}`);
      // Recovered by itself, with no restart, within a bounded time of the freeze.
      expect(timings.ready).toBeLessThan(30_000);

      // Nothing committed before the freeze is lost: the queue item, the transcript, the pupil's log.
      const ids = await queued();
      expect(ids).toContain(id);
      expect(ids).toContain(newcomer.conversationId);
      const lines = await transcript(id);
      for (const said of ['can I speak to an actual person', 'thanks for before the freeze', 'thanks for during the freeze']) {
        expect(lines).toContainEqual(expect.objectContaining({ from: 'pupil', text: said }));
      }
      expect(lines.map((line) => line.text)).toEqual(expect.arrayContaining(['before the freeze', 'during the freeze']));
      const reread = pupil.via(a.url);
      reread.watermark = '';
      expect((await reread.poll()).filter(isBotMessage).map((activity) => activity.text)).toEqual(expect.arrayContaining(['before the freeze', 'during the freeze']));
    } finally {
      // The old master wakes up, hears it has been replaced and rejoins as a replica.
      victim.server.kill('SIGCONT');
    }
    await cluster.settled(30_000);
    expect((await nodesSeen()).find((node) => node.id === victim.id)?.master).toBe(replica?.id);
  }, 120_000);

  it('loses no hand-off and no adviser message when a master fails and its replica takes over, and recovers by itself', async () => {
    // The master that holds the hand-off queue's slot.
    const queueSlot = await slotOf(inspector, keys.queueOpen);
    const victim = await cluster.masterOf(queueSlot);
    const handOff = async (pupil: DirectLineTestClient) => {
      // Asked again until the bot answers it (a turn failed during the failover is tried again, as a pupil would).
      await retrying('the offer', async () => (await say(pupil, 'can I speak to an actual person')).some((reply) => OFFERED.has(reply ?? '')));
      await retrying('the hand-off', async () => (await say(pupil, 'yes')).some((reply) => QUEUED.has(reply ?? '')));
    };
    const message = async (id: string, said: string) => retrying(`adviser message ${said}`, async () => (await adviser.post(`/conversations/${id}/messages`, { text: said })).status === 200);

    const before = await Promise.all(Array.from({ length: 3 }, () => started()));
    for (const pupil of before) await handOff(pupil);
    for (const pupil of before) {
      expect((await adviser.post(`/conversations/${pupil.conversationId}/claim`)).status).toBe(200);
      await message(pupil.conversationId, `before ${pupil.conversationId}`);
    }
    // Redis replicates asynchronously: the master is killed once its replica has what was acknowledged.
    await cluster.replicasCaughtUp();
    victim.server.kill('SIGKILL');

    // Hand-off traffic while the cluster notices and promotes the replica: a pupil whose page
    // could not start a conversation (503 while the store fails over) tries again, as on a reload.
    const during: DirectLineTestClient[] = [];
    await Promise.all(
      Array.from({ length: 3 }, () =>
        retrying('a conversation started', async () => {
          during.push(await started());
          return true;
        }),
      ),
    );
    await Promise.all([...during.map(handOff), ...before.map((pupil) => message(pupil.conversationId, `during ${pupil.conversationId}`))]);
    await cluster.settled(30_000);

    // Nothing lost: every hand-off is in the queue, every adviser message reaches its pupil.
    await retrying('every hand-off in the queue', async () => {
      const ids = await queued();
      return [...before, ...during].every((pupil) => ids.includes(pupil.conversationId));
    });
    for (const pupil of before) {
      for (const said of [`before ${pupil.conversationId}`, `during ${pupil.conversationId}`]) {
        if (!pupil.seen.some((activity) => activity.text === said)) await pupil.waitForBot((activity) => activity.text === said, 10_000);
      }
    }
    // And the processes work on by themselves: a new hand-off, claimed and answered, and /readyz.
    const after = await started();
    await handOff(after);
    expect((await adviser.post(`/conversations/${after.conversationId}/claim`)).status).toBe(200);
    await message(after.conversationId, 'after the failover');
    await after.waitForBot((activity) => activity.text === 'after the failover');
    for (const bot of [a, b]) await retrying('/readyz', async () => (await fetch(`${bot.url}/readyz`)).status === 200, 10_000);
  }, 90_000);
});

import { randomBytes } from 'node:crypto';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { createRedisStores } from '../../adapters/redis/redisStores';
import { RedisKeys } from '../../adapters/redis/keys';
import type { HandoffRequest, Stores, TranscriptEntry } from '../../bot/ports';
import { REDIS_BACKENDS, type RedisBackend } from '../support/redisBackends';

const id = () => `conv${randomBytes(5).toString('hex')}`;
const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute));
const request = (conversationId: string, overrides: Partial<HandoffRequest> = {}): HandoffRequest => ({
  conversationId,
  flags: ['asked-for-adviser'],
  priority: 'standard',
  channel: 'directline',
  summary: 'topic: apprenticeships; flags: asked-for-adviser',
  at: at(0),
  school: 'default',
  ...overrides,
});

function queueContract(stores: () => Stores): void {
  it('orders urgent, then high, then standard, oldest first within each', async () => {
    const [a, b, c, d] = [id(), id(), id(), id()];
    await stores().queue.enqueue(request(a, { at: at(1) }));
    await stores().queue.enqueue(request(b, { flags: ['wellbeing'], priority: 'high', at: at(3) }));
    await stores().queue.enqueue(request(c, { flags: ['crisis'], priority: 'urgent', at: at(5) }));
    await stores().queue.enqueue(request(d, { flags: ['send'], priority: 'high', at: at(2) }));
    const order = (await stores().queue.list()).map((item) => item.conversationId).filter((conversation) => [a, b, c, d].includes(conversation));
    expect(order).toEqual([c, d, b, a]);
  });

  it('keeps one item per conversation: flags merged, priority raised, place in time kept', async () => {
    const c = id();
    await stores().queue.enqueue(request(c, { at: at(1) }));
    const again = await stores().queue.enqueue(request(c, { flags: ['crisis'], priority: 'urgent', at: at(9), summary: 'newer' }));
    expect(again).toMatchObject({ conversationId: c, priority: 'urgent', flags: ['asked-for-adviser', 'crisis'], status: 'waiting', waitingSince: at(1).toISOString(), summary: 'newer' });
    await stores().queue.enqueue(request(c, { flags: ['asked-for-adviser'], priority: 'standard', at: at(10) }));
    expect((await stores().queue.get(c))?.priority).toBe('urgent');
    expect((await stores().queue.list()).filter((item) => item.conversationId === c)).toHaveLength(1);
  });

  it('makes one item however many times it is asked at once', async () => {
    const c = id();
    await Promise.all(Array.from({ length: 8 }, () => stores().queue.enqueue(request(c))));
    expect((await stores().queue.list()).filter((item) => item.conversationId === c)).toHaveLength(1);
  });

  it('lets exactly one of two advisers claim an item, and tells the other who has it', async () => {
    const c = id();
    await stores().queue.enqueue(request(c));
    const results = await Promise.all([stores().queue.claim(c, 'sam'), stores().queue.claim(c, 'alex')]);
    const winners = results.filter((result) => result.ok);
    expect(winners).toHaveLength(1);
    const loser = results.find((result) => !result.ok);
    const winner = winners[0].ok ? winners[0].item.claimedBy : '';
    expect(loser).toEqual({ ok: false, reason: 'claimed', claimedBy: winner });
    expect((await stores().queue.get(c))?.status).toBe('claimed');
    expect((await stores().queue.claim(c, winner ?? '')).ok).toBe(true);
  });

  it('closes an item: it leaves the queue and cannot be claimed', async () => {
    const c = id();
    await stores().queue.enqueue(request(c));
    expect(await stores().queue.close(c)).toBe(true);
    expect(await stores().queue.get(c)).toBeUndefined();
    expect(await stores().queue.claim(c, 'sam')).toEqual({ ok: false, reason: 'not-found' });
    expect(await stores().queue.close(c)).toBe(false);
  });

  it('lets the pupil cancel a waiting item but not a claimed one', async () => {
    const waiting = id();
    const claimed = id();
    await stores().queue.enqueue(request(waiting));
    await stores().queue.enqueue(request(claimed));
    await stores().queue.claim(claimed, 'sam');
    expect(await stores().queue.cancel(waiting)).toBe(true);
    expect(await stores().queue.cancel(claimed)).toBe(false);
    expect(await stores().queue.get(waiting)).toBeUndefined();
    expect((await stores().queue.get(claimed))?.status).toBe('claimed');
  });

  it('transfers a claimed item only from the adviser holding it: to another adviser, or back to waiting in its old place', async () => {
    const [first, second] = [id(), id()];
    await stores().queue.enqueue(request(first, { at: at(1) }));
    await stores().queue.enqueue(request(second, { at: at(2) }));
    expect(await stores().queue.transfer(first, 'sam', 'alex')).toEqual({ ok: false, reason: 'not-held' });
    await stores().queue.claim(first, 'sam');
    expect(await stores().queue.transfer(first, 'alex', 'jo')).toEqual({ ok: false, reason: 'not-held', claimedBy: 'sam' });
    const moved = await stores().queue.transfer(first, 'sam', 'alex');
    expect(moved).toEqual({ ok: true, item: expect.objectContaining({ conversationId: first, status: 'claimed', claimedBy: 'alex', waitingSince: at(1).toISOString() }) });
    expect(await stores().queue.claim(first, 'sam')).toEqual({ ok: false, reason: 'claimed', claimedBy: 'alex' });
    const back = await stores().queue.transfer(first, 'alex', null);
    expect(back.ok && back.item).toEqual(expect.objectContaining({ status: 'waiting', waitingSince: at(1).toISOString() }));
    expect(back.ok && 'claimedBy' in back.item).toBe(false);
    const order = (await stores().queue.list()).map((item) => item.conversationId).filter((conversation) => [first, second].includes(conversation));
    expect(order).toEqual([first, second]);
    expect((await stores().queue.claim(first, 'jo')).ok).toBe(true);
    await stores().queue.close(first);
    expect(await stores().queue.transfer(first, 'jo', 'sam')).toEqual({ ok: false, reason: 'not-found' });
    expect(await stores().queue.transfer(id(), 'jo', 'sam')).toEqual({ ok: false, reason: 'not-found' });
  });

  it('lets one of two transfers of the same item win', async () => {
    const c = id();
    await stores().queue.enqueue(request(c));
    await stores().queue.claim(c, 'sam');
    const results = await Promise.all([stores().queue.transfer(c, 'sam', 'alex'), stores().queue.transfer(c, 'sam', 'jo')]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    const holder = (await stores().queue.get(c))?.claimedBy;
    expect(results.find((result) => !result.ok)).toEqual({ ok: false, reason: 'not-held', claimedBy: holder });
  });

  it("carries the pupil's school into the item, in the list and after a claim", async () => {
    const c = id();
    const queued = await stores().queue.enqueue(request(c, { school: 'north-high' }));
    expect(queued.school).toBe('north-high');
    expect((await stores().queue.list()).find((item) => item.conversationId === c)?.school).toBe('north-high');
    const claimed = await stores().queue.claim(c, 'sam');
    expect(claimed.ok && claimed.item.school).toBe('north-high');
    expect((await stores().queue.get(c))?.school).toBe('north-high');
  });

  it('starts a fresh item after a closed one', async () => {
    const c = id();
    await stores().queue.enqueue(request(c, { flags: ['crisis'], priority: 'urgent', at: at(1) }));
    await stores().queue.close(c);
    const fresh = await stores().queue.enqueue(request(c, { at: at(30) }));
    expect(fresh).toMatchObject({ priority: 'standard', flags: ['asked-for-adviser'], waitingSince: at(30).toISOString(), status: 'waiting' });
  });

  it('removes an item altogether, waiting, claimed or closed; a new request then starts afresh', async () => {
    const [waiting, claimed, closed] = [id(), id(), id()];
    for (const c of [waiting, claimed, closed]) await stores().queue.enqueue(request(c, { flags: ['wellbeing'], priority: 'high', at: at(1) }));
    await stores().queue.claim(claimed, 'sam');
    await stores().queue.close(closed);
    for (const c of [waiting, claimed, closed]) await stores().queue.remove(c);
    for (const c of [waiting, claimed, closed]) expect(await stores().queue.get(c)).toBeUndefined();
    expect((await stores().queue.list()).filter((item) => [waiting, claimed, closed].includes(item.conversationId))).toEqual([]);
    expect(await stores().queue.claim(claimed, 'sam')).toEqual({ ok: false, reason: 'not-found' });
    expect(await stores().queue.close(waiting)).toBe(false);
    const fresh = await stores().queue.enqueue(request(waiting, { at: at(40) }));
    expect(fresh).toMatchObject({ priority: 'standard', flags: ['asked-for-adviser'], waitingSince: at(40).toISOString(), status: 'waiting' });
    await expect(stores().queue.remove(id())).resolves.toBeUndefined();
  });

  it('keeps transcripts in order and removes them', async () => {
    const c = id();
    await stores().transcripts.append(c, [{ from: 'pupil', text: 'hi', timestamp: at(1).toISOString() }]);
    await stores().transcripts.append(c, [
      { from: 'bot', text: 'hello', timestamp: at(1).toISOString() },
      { from: 'adviser', text: 'hi, I am Sam', timestamp: at(2).toISOString() },
    ]);
    expect((await stores().transcripts.read(c)).map((entry) => entry.from)).toEqual(['pupil', 'bot', 'adviser']);
    await stores().transcripts.remove(c);
    expect(await stores().transcripts.read(c)).toEqual([]);
  });

  it('gives back every transcript line exactly: any text, times in any form', async () => {
    const c = id();
    const lines: TranscriptEntry[] = [
      { from: 'pupil', text: 'tabs\there\t\tand\nnewlines {"shared":"x"}', timestamp: at(1).toISOString() },
      { from: 'bot', text: 'Here are your choices:\n- sixth form\t- college', timestamp: at(2).toISOString() },
      { from: 'adviser', text: '', timestamp: at(3).toISOString() },
      { from: 'pupil', text: 'an odd time', timestamp: '2026-11-23T11:06:18Z' },
      { from: 'bot', text: 'an odd time too', timestamp: 'not a time' },
      { from: 'pupil', text: '🙂\t', timestamp: '2026-03-29T01:00:00.000Z' },
    ];
    await stores().transcripts.append(c, lines);
    expect(await stores().transcripts.read(c)).toEqual(lines);
  });
}

describe('hand-off queue contract on memory', () => {
  let stores: Stores;
  beforeAll(() => {
    stores = createMemoryStores({ retentionDays: 30 });
  });
  afterAll(() => stores.close());
  queueContract(() => stores);
});

describe.each(REDIS_BACKENDS)('hand-off queue contract on %s', (_name, start) => {
  let backend: RedisBackend;
  let stores: Stores;
  const keyPrefix = `queue-${randomBytes(3).toString('hex')}:`;
  const keys = new RedisKeys(keyPrefix);
  beforeAll(async () => {
    backend = await start();
    stores = createRedisStores({ ...backend.target, keyPrefix, retentionDays: 30 });
  });
  afterAll(async () => {
    await stores?.close();
    await backend?.destroy();
  });
  queueContract(() => stores);

  it('reads transcript lines written as JSON before the short form, beside new ones', async () => {
    const c = id();
    const inspector = backend.inspector();
    try {
      await inspector.hset(keys.transcriptTexts, 'oldref', JSON.stringify('an old bot line'));
      await inspector.rpush(
        keys.transcript(c),
        JSON.stringify({ from: 'pupil', text: 'old words', timestamp: at(1).toISOString() }),
        JSON.stringify({ shared: 'oldref', timestamp: at(2).toISOString() }),
      );
      await stores.transcripts.append(c, [{ from: 'pupil', text: 'new words', timestamp: at(3).toISOString() }]);
      const stored = await inspector.lrange(keys.transcript(c), 0, -1);
      expect(stored[2]).toBe(`p\t${at(3).getTime().toString(36)}\tnew words`);
      expect(await stores.transcripts.read(c)).toEqual([
        { from: 'pupil', text: 'old words', timestamp: at(1).toISOString() },
        { from: 'bot', text: 'an old bot line', timestamp: at(2).toISOString() },
        { from: 'pupil', text: 'new words', timestamp: at(3).toISOString() },
      ]);
    } finally {
      inspector.disconnect();
    }
  });

  it('leaves out a bot line whose shared text Redis has lost, as the web chat log does, and reads the rest', async () => {
    const c = id();
    await stores.transcripts.append(c, [
      { from: 'pupil', text: 'hi', timestamp: at(1).toISOString() },
      { from: 'bot', text: `a reply only this test writes ${c}`, timestamp: at(2).toISOString() },
      { from: 'adviser', text: 'hello', timestamp: at(3).toISOString() },
    ]);
    const inspector = backend.inspector();
    try {
      await inspector.del(keys.transcriptTexts);
    } finally {
      inspector.disconnect();
    }
    // another instance, which has not read the line before (so has no copy of it in memory)
    const other = createRedisStores({ ...backend.target, keyPrefix, retentionDays: 30 });
    try {
      expect((await other.transcripts.read(c)).map((entry) => entry.text)).toEqual(['hi', 'hello']);
    } finally {
      await other.close();
    }
  });

  it('leaves no key and no place in the open set for a removed item', async () => {
    const c = id();
    await stores.queue.enqueue(request(c));
    await stores.queue.remove(c);
    const inspector = backend.inspector();
    try {
      expect(await inspector.exists(keys.queueItem(c))).toBe(0);
      expect(await inspector.zscore(keys.queueOpen, c)).toBeNull();
    } finally {
      inspector.disconnect();
    }
  });

  it('gives every queue and transcript key the retention TTL', async () => {
    const inspector = backend.inspector();
    try {
      const stored = await backend.keys(`${keyPrefix}*`);
      expect(stored).toContain(keys.queueOpen);
      for (const key of stored) expect({ key, ttl: (await inspector.pttl(key)) > 0 }).toEqual({ key, ttl: true });
    } finally {
      inspector.disconnect();
    }
  });
});

describe('memory queue retention', () => {
  it('drops items after the retention period', async () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const stores = createMemoryStores({ retentionDays: 1, now: () => now });
    await stores.queue.enqueue(request('convold1'));
    now += 2 * 86_400_000;
    expect(await stores.queue.list()).toEqual([]);
    await stores.close();
  });
});

import { randomBytes } from 'node:crypto';
import { Redis, type Cluster } from 'ioredis';
import { ConversationState, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { createRedisStores } from '../../adapters/redis/redisStores';
import { RedisKeys } from '../../adapters/redis/keys';
import { OptimisticConversationState } from '../../bot/optimisticConversationState';
import { attachTurnCommit } from '../../bot/turnCommit';
import { ETAG_MUST_NOT_EXIST, EtagConflictError, type ConversationMeta, type Stores, type TurnCommit } from '../../bot/ports';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { REDIS_BACKENDS, type RedisBackend } from '../support/redisBackends';

const RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
/** botbuilder MemoryStorage's message, spelled out rather than taken from ports.ts. */
const conflict = (key: string) => `Storage: error writing "${key}" due to eTag conflict.`;
const meta = (conversationId: string): ConversationMeta => ({ conversationId, userId: 'dl_u', createdAt: '2026-11-23T10:00:00.000Z', started: false });
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const stateKey = () => `directline/conversations/${hex(4)}/`;
/** The key botbuilder's ConversationState gives a web chat conversation's state: a turn's commit writes it with the conversation's log. */
const conversationStateKey = (conversation: string) => `directline/conversations/${conversation}/`;
const conversationId = () => `conv${hex(6)}`;

/** Resolves on the listener's next call; rejects if it does not come within a second. */
function nextCall(): { listener: () => void; called: Promise<void> } {
  let resolve: () => void = () => undefined;
  const called = new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('listener was not called within 1 s')), 1000);
    resolve = () => {
      clearTimeout(timer);
      ok();
    };
  });
  return { listener: () => resolve(), called };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** A turn of a web chat conversation, for botbuilder state (its key is directline/conversations/<id>/). */
const turnIn = (conversation: string) =>
  new TurnContext(new TestAdapter(), { type: 'message', text: 'hi', channelId: 'directline', conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: '' } });

/** The one contract both backends must keep; `stores` is read when each test runs. */
function storeContract(stores: () => Stores): void {
  describe('state storage (botbuilder Storage)', () => {
    const state = () => stores().state;

    it('reads nothing for missing keys, and {} for no keys', async () => {
      expect(await state().read([stateKey(), stateKey()])).toEqual({});
      expect(await state().read([])).toEqual({});
    });

    it('rejects with ReferenceError, like MemoryStorage, when keys or changes are missing', async () => {
      // The casts stand for a JavaScript caller; the types rightly forbid this.
      await expect(state().read(undefined as unknown as string[])).rejects.toThrow(ReferenceError);
      await expect(state().write(undefined as unknown as StoreItems)).rejects.toThrow(ReferenceError);
    });

    it('returns what was written with a fresh random eTag, and only the keys that exist', async () => {
      const [k, missing] = [stateKey(), stateKey()];
      await state().write({ [k]: { count: 1, nested: { a: ['x'] }, eTag: '*' } });
      const items = await state().read([k, missing]);
      expect(items).toEqual({ [k]: { count: 1, nested: { a: ['x'] }, eTag: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    });

    it('stores an item read, changed and written back as changed, whatever the read left on it', async () => {
      const k = stateKey();
      await state().write({ [k]: { count: 1, list: ['a'] } });
      const item = (await state().read([k]))[k];
      item.count = 2;
      item.list.push('b');
      await state().write({ [k]: item });
      expect((await state().read([k]))[k]).toEqual({ count: 2, list: ['a', 'b'], eTag: expect.any(String) });
      // and stock botbuilder ConversationState, which writes back the very object it read
      const stock = new ConversationState(state());
      const counter = stock.createProperty<number>('count');
      for (const expected of [1, 2, 3]) {
        const context = turnIn('stock');
        await counter.set(context, (await counter.get(context, 0)) + 1);
        await stock.saveChanges(context);
        expect(await counter.get(turnIn('stock'), 0)).toBe(expected);
      }
    });

    it("keeps the bot's state across turns through each turn's commit, each turn a compare-and-set", async () => {
      const state = new OptimisticConversationState(stores().state);
      const data = state.createProperty<{ count: number; seen: string[] }>('data');
      const key = 'directline/conversations/optimistic/';
      const eTags: string[] = [];
      for (const word of ['one', 'two', 'two', 'three']) {
        const context = turnIn('optimistic');
        attachTurnCommit(context, stores().commits.open('optimistic'));
        const value = await data.get(context, { count: 0, seen: [] });
        if (!value.seen.includes(word)) value.seen.push(word);
        value.count = value.seen.length;
        await state.saveChanges(context);
        const stored = (await stores().state.read([key]))[key];
        eTags.push(String(stored.eTag));
        expect(stored.data).toEqual({ count: value.count, seen: value.seen });
        // the turn's state carries the eTag it wrote, for a second save in the same turn
        expect(state.get(context)?.eTag).toBe(stored.eTag);
      }
      // a turn that loaded the state writes it: the write is the turn's commit point
      expect(new Set(eTags).size).toBe(4);
    });

    it('changes the eTag on every write', async () => {
      const k = stateKey();
      const eTags = new Set<string>();
      for (let n = 0; n < 5; n += 1) {
        await state().write({ [k]: { n } });
        eTags.add((await state().read([k]))[k].eTag);
      }
      expect(eTags.size).toBe(5);
    });

    it('writes with the eTag just read, and reports the new eTag on the written item', async () => {
      const k = stateKey();
      await state().write({ [k]: { n: 1 } });
      const item = { ...(await state().read([k]))[k], n: 2 };
      const readETag = item.eTag;
      await state().write({ [k]: item });
      const stored = (await state().read([k]))[k];
      expect(stored.n).toBe(2);
      expect(stored.eTag).not.toBe(readETag);
      expect(item.eTag).toBe(stored.eTag);
    });

    it("refuses a write with a stale eTag, with MemoryStorage's message, and keeps the newer value", async () => {
      const k = stateKey();
      await state().write({ [k]: { n: 1 } });
      const stale = (await state().read([k]))[k];
      await state().write({ [k]: { n: 2 } });
      const refused = state().write({ [k]: { ...stale, n: 3 } });
      await expect(refused).rejects.toThrow(new Error(conflict(k)));
      await expect(refused).rejects.toBeInstanceOf(EtagConflictError);
      expect((await state().read([k]))[k].n).toBe(2);
    });

    it("overwrites with eTag '*', with an empty eTag and with no eTag", async () => {
      const k = stateKey();
      await state().write({ [k]: { n: 1 } });
      await state().write({ [k]: { n: 2, eTag: '*' } });
      expect((await state().read([k]))[k].n).toBe(2);
      await state().write({ [k]: { n: 3, eTag: '' } });
      expect((await state().read([k]))[k].n).toBe(3);
      await state().write({ [k]: { n: 4 } });
      expect((await state().read([k]))[k].n).toBe(4);
    });

    it('refuses an eTag for a key that does not exist, and writes nothing', async () => {
      const k = stateKey();
      await expect(state().write({ [k]: { n: 1, eTag: 'abc' } })).rejects.toThrow(conflict(k));
      expect(await state().read([k])).toEqual({});
    });

    it('creates once with ETAG_MUST_NOT_EXIST, then refuses', async () => {
      const k = stateKey();
      await state().write({ [k]: { n: 1, eTag: ETAG_MUST_NOT_EXIST } });
      await expect(state().write({ [k]: { n: 2, eTag: ETAG_MUST_NOT_EXIST } })).rejects.toThrow(conflict(k));
      expect((await state().read([k]))[k].n).toBe(1);
    });

    it('lets exactly one of two concurrent writers with the same eTag win', async () => {
      const k = stateKey();
      await state().write({ [k]: { n: 0 } });
      const read = (await state().read([k]))[k];
      const results = await Promise.allSettled([state().write({ [k]: { ...read, n: 'a' } }), state().write({ [k]: { ...read, n: 'b' } })]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(rejected.map((result) => String(result.reason.message))).toEqual([conflict(k)]);
      const winner = results[0].status === 'fulfilled' ? 'a' : 'b';
      expect((await state().read([k]))[k].n).toBe(winner);
    });

    it('lets exactly one of many concurrent first writers create a key', async () => {
      const k = stateKey();
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, n) => state().write({ [k]: { n, eTag: ETAG_MUST_NOT_EXIST } })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    });

    it('writes the other keys of a batch, then rejects for the one that conflicts', async () => {
      const [good, bad] = [stateKey(), stateKey()];
      await state().write({ [bad]: { n: 1 } });
      await expect(state().write({ [good]: { n: 'good' }, [bad]: { n: 2, eTag: 'stale' } })).rejects.toThrow(conflict(bad));
      expect((await state().read([good]))[good].n).toBe('good');
      expect((await state().read([bad]))[bad].n).toBe(1);
    });

    it('deletes, and a deleted key can be created again with ETAG_MUST_NOT_EXIST', async () => {
      const [k, other] = [stateKey(), stateKey()];
      await state().write({ [k]: { n: 1 }, [other]: { n: 2 } });
      await state().delete([k]);
      expect(await state().read([k, other])).toEqual({ [other]: { n: 2, eTag: expect.any(String) } });
      await state().write({ [k]: { n: 3, eTag: ETAG_MUST_NOT_EXIST } });
      expect((await state().read([k]))[k].n).toBe(3);
    });

    it('hands out copies: changing a written or a read object does not change the store', async () => {
      const k = stateKey();
      const written = { list: [1] };
      await state().write({ [k]: written });
      written.list.push(99);
      const item = (await state().read([k]))[k];
      item.list.push(2);
      expect((await state().read([k]))[k].list).toEqual([1]);
    });

    it('does not keep the eTag inside the stored value', async () => {
      const k = stateKey();
      await state().write({ [k]: { n: 1, eTag: '*' } });
      const item = (await state().read([k]))[k];
      expect(Object.keys(item).sort()).toEqual(['eTag', 'n']);
      expect(item.eTag).not.toBe('*');
    });
  });

  describe('conversation log', () => {
    const log = () => stores().conversations;

    it('creates a conversation once and reads its meta', async () => {
      const c = conversationId();
      await log().create(meta(c));
      expect(await log().getMeta(c)).toEqual(meta(c));
      await expect(log().create({ ...meta(c), userId: 'someone else' })).rejects.toThrow(/already exists/);
      expect((await log().getMeta(c))?.userId).toBe('dl_u');
      expect(await log().getMeta(conversationId())).toBeUndefined();
    });

    it('marks a conversation started for exactly one caller, even concurrently', async () => {
      const c = conversationId();
      await log().create(meta(c));
      const results = await Promise.all(Array.from({ length: 6 }, () => log().markStarted(c)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await log().getMeta(c))?.started).toBe(true);
      expect(await log().markStarted(c)).toBe(false);
      expect(await log().markStarted(conversationId())).toBe(false);
    });

    it('takes an activity with an id once, however often and however concurrently it is appended', async () => {
      const c = conversationId();
      await log().create(meta(c));
      const first = await Promise.all(Array.from({ length: 5 }, () => log().appendIfNew(c, { id: 'a', n: 1 })));
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await log().appendIfNew(c, { id: 'a', n: 9 })).toBe(false);
      // a retried batch adds only what is new; activities without an id are always added
      expect(await log().append(c, [{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'b', n: 2 }, { n: 3 }, { n: 3 }])).toBe(4);
      expect(await log().append(c, [{ id: 'b', n: 2 }])).toBe(4);
      expect((await log().read(c, 0)).activities).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { n: 3 }, { n: 3 }]);
    });

    it('takes a web chat message once, kept in its short form, even when its text spells another id', async () => {
      const c = conversationId();
      await log().create(meta(c));
      const message = (suffix: string, text: string) => ({
        type: 'message',
        text,
        id: `${c}|${suffix}`,
        channelId: 'directline',
        serviceUrl: 'urn:directline',
        timestamp: '2026-11-23T11:06:18.001Z',
        from: { id: 'dl_pupil', name: '', role: 'user' },
        recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
        conversation: { id: c, isGroup: false, conversationType: 'personal', name: '' },
      });
      const first = await Promise.all(Array.from({ length: 5 }, () => log().appendIfNew(c, message('c0ffee', 'hi'))));
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await log().appendIfNew(c, message('c0ffee', 'hi'))).toBe(false);
      // a message whose text holds the next one's id, as it would be written, does not hide it
      expect(await log().appendIfNew(c, message('aaa', '\tbbb\t "~i":"bbb" t\tbbb\t'))).toBe(true);
      expect(await log().appendIfNew(c, message('bbb', 'next'))).toBe(true);
      expect((await log().read(c, 0)).activities.map((activity) => activity.text)).toEqual(['hi', '\tbbb\t "~i":"bbb" t\tbbb\t', 'next']);
    });

    it('appends in order and pages by watermark and limit', async () => {
      const c = conversationId();
      await log().create(meta(c));
      expect(await log().append(c, [{ n: 0 }, { n: 1 }])).toBe(2);
      expect(await log().append(c, [{ n: 2 }])).toBe(3);
      expect(await log().append(c, [])).toBe(3);
      expect(await log().read(c, 0)).toEqual({ activities: [{ n: 0 }, { n: 1 }, { n: 2 }], watermark: 3 });
      expect(await log().read(c, 1, 1)).toEqual({ activities: [{ n: 1 }], watermark: 2 });
      expect(await log().read(c, 2, 5)).toEqual({ activities: [{ n: 2 }], watermark: 3 });
      expect(await log().read(c, 0, 0)).toEqual({ activities: [], watermark: 0 });
      expect(await log().read(c, -4, 1)).toEqual({ activities: [{ n: 0 }], watermark: 1 });
      expect(await log().read(c, 3)).toEqual({ activities: [], watermark: 3 });
      expect(await log().read(c, 99)).toEqual({ activities: [], watermark: 3 });
      expect(await log().read(conversationId(), 0)).toEqual({ activities: [], watermark: 0 });
    });

    it('reads at most 200 activities by default', async () => {
      const c = conversationId();
      await log().create(meta(c));
      await log().append(
        c,
        Array.from({ length: 250 }, (_, n) => ({ n })),
      );
      const first = await log().read(c, 0);
      expect(first.activities).toHaveLength(200);
      expect(first.watermark).toBe(200);
      const rest = await log().read(c, first.watermark);
      expect(rest.activities.map((activity) => activity.n)).toEqual(Array.from({ length: 50 }, (_, n) => 200 + n));
      expect(rest.watermark).toBe(250);
    });

    it('keeps the order of concurrent appends and hands out copies', async () => {
      const c = conversationId();
      await log().create(meta(c));
      const marks = await Promise.all(Array.from({ length: 20 }, (_, n) => log().append(c, [{ n }])));
      expect([...marks].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
      const { activities } = await log().read(c, 0);
      expect(activities.map((activity) => activity.n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
      activities[0].n = 'changed';
      expect((await log().read(c, 0, 1)).activities).toEqual([{ n: 0 }]);
    });

    it('notifies subscribers after an append, only for their conversation, until they unsubscribe', async () => {
      const [c, other] = [conversationId(), conversationId()];
      await log().create(meta(c));
      await log().create(meta(other));
      const calls = { first: 0, second: 0, other: 0 };
      const seen: number[] = [];
      const first = nextCall();
      const unsubscribeFirst = await log().subscribe(c, () => {
        calls.first += 1;
        first.listener();
        void log()
          .read(c, 0)
          .then((page) => seen.push(page.watermark));
      });
      const second = nextCall();
      const unsubscribeSecond = await log().subscribe(c, () => {
        calls.second += 1;
        second.listener();
      });
      const unsubscribeOther = await log().subscribe(other, () => (calls.other += 1));

      await log().append(c, [{ n: 1 }]);
      await Promise.all([first.called, second.called]);
      await settle();
      // The appended activity is readable by the time a listener hears of it.
      expect(seen).toEqual([1]);
      expect(calls).toEqual({ first: 1, second: 1, other: 0 });

      await unsubscribeFirst();
      await unsubscribeFirst();
      const again = nextCall();
      const unsubscribeSecondAgain = await log().subscribe(c, again.listener);
      await unsubscribeSecond();
      await log().append(c, [{ n: 2 }]);
      // The channel stays live for the listener still subscribed after the others left.
      await again.called;
      await settle();
      expect(calls).toEqual({ first: 1, second: 1, other: 0 });

      await unsubscribeSecondAgain();
      await log().append(c, [{ n: 3 }]);
      await settle();
      expect(calls).toEqual({ first: 1, second: 1, other: 0 });
      expect(seen).toEqual([1]);
      await unsubscribeOther();
    });

    it('removes everything of a conversation', async () => {
      const c = conversationId();
      await log().create(meta(c));
      await log().append(c, [{ n: 1 }]);
      await log().remove(c);
      expect(await log().getMeta(c)).toBeUndefined();
      expect(await log().read(c, 0)).toEqual({ activities: [], watermark: 0 });
      await log().create(meta(c));
      expect(await log().getMeta(c)).toEqual(meta(c));
    });

    it('erases the activities in place: none is read back, the meta and watermarks stay, later ones are read', async () => {
      const c = conversationId();
      await log().create(meta(c));
      await log().append(c, [{ text: 'my secret plan' }, { text: 'reply' }]);
      await log().erase(c);
      expect(await log().read(c, 0)).toEqual({ activities: [], watermark: 2 });
      expect(await log().getMeta(c)).toEqual(meta(c));
      expect(await log().append(c, [{ text: 'after' }])).toBe(3);
      expect(await log().read(c, 0)).toEqual({ activities: [{ text: 'after' }], watermark: 3 });
      // a page of blanks still moves the watermark on, so a client is not stuck behind them
      expect(await log().read(c, 0, 1)).toEqual({ activities: [], watermark: 1 });
      expect(await log().read(c, 2)).toEqual({ activities: [{ text: 'after' }], watermark: 3 });
      const unknown = conversationId();
      await log().erase(unknown);
      expect(await log().getMeta(unknown)).toBeUndefined();
      expect(await log().read(unknown, 0)).toEqual({ activities: [], watermark: 0 });
    });
  });

  describe('shared secrets', () => {
    it('returns the first stored value to every caller, also concurrent ones', async () => {
      const name = `s${hex(3)}`;
      expect(await stores().secrets.getOrCreate(name, 'first')).toBe('first');
      expect(await stores().secrets.getOrCreate(name, 'second')).toBe('first');
      const racing = `s${hex(3)}`;
      const values = await Promise.all(['a', 'b', 'c', 'd'].map((candidate) => stores().secrets.getOrCreate(racing, candidate)));
      expect(new Set(values).size).toBe(1);
    });
  });

  describe("a turn's commit (TurnCommit)", () => {
    const entry = (text: string) => ({ from: 'pupil' as const, text, timestamp: '2026-11-23T10:00:00.000Z' });
    const reply = (c: string, text: string) => ({ type: 'message', id: `${c}|r${hex(3)}`, text });

    /** What is in the log and the transcript once the owners have appended what the commit left. */
    async function afterTheTurn(c: string, commit: TurnCommit) {
      await stores().conversations.append(c, commit.replies.splice(0));
      await stores().transcripts.append(c, commit.transcript.splice(0));
      return {
        log: (await stores().conversations.read(c, 0)).activities.map((activity) => activity.text),
        transcript: (await stores().transcripts.read(c)).map((line) => line.text),
      };
    }

    it('writes the state against the eTag read, and what it holds ends up in the log and transcript once', async () => {
      const c = conversationId();
      const k = conversationStateKey(c);
      await stores().conversations.create(meta(c));
      const commit = stores().commits.open(c);
      commit.replies.push(reply(c, 'held reply'));
      commit.transcript.push(entry('held line'));
      const eTag = await commit.saveState(k, { n: 1, eTag: 'ignored' }, ETAG_MUST_NOT_EXIST);
      expect((await stores().state.read([k]))[k]).toEqual({ n: 1, eTag });
      expect(await afterTheTurn(c, commit)).toEqual({ log: ['held reply'], transcript: ['held line'] });

      const next = stores().commits.open(c);
      const second = await next.saveState(k, { n: 2 }, eTag);
      expect(second).not.toBe(eTag);
      expect((await stores().state.read([k]))[k]).toEqual({ n: 2, eTag: second });
    });

    it('refuses a stale write and a second creator, writing nothing and leaving what it holds', async () => {
      const c = conversationId();
      const k = conversationStateKey(c);
      await stores().conversations.create(meta(c));
      const first = await stores().commits.open(c).saveState(k, { n: 1 }, ETAG_MUST_NOT_EXIST);

      const creator = stores().commits.open(c);
      creator.replies.push(reply(c, 'second creator'));
      await expect(creator.saveState(k, { n: 9 }, ETAG_MUST_NOT_EXIST)).rejects.toThrow(new Error(conflict(k)));
      expect(creator.replies).toHaveLength(1);

      await stores().commits.open(c).saveState(k, { n: 2 }, first);
      const stale = stores().commits.open(c);
      stale.transcript.push(entry('stale line'));
      const refused = stale.saveState(k, { n: 3 }, first);
      await expect(refused).rejects.toBeInstanceOf(EtagConflictError);
      expect(stale.transcript).toHaveLength(1);
      expect((await stores().state.read([k]))[k].n).toBe(2);
      expect((await stores().conversations.read(c, 0)).activities).toEqual([]);
      expect(await stores().transcripts.read(c)).toEqual([]);
    });

    it("writes nothing more once the pupil's data is forgotten", async () => {
      const c = conversationId();
      const k = conversationStateKey(c);
      const commit = stores().commits.open(c);
      commit.transcript.push(entry('before deletion'));
      commit.forget();
      expect(commit.forgotten).toBe(true);
      expect(commit.transcript).toEqual([]);
      await commit.saveState(k, { n: 1 }, ETAG_MUST_NOT_EXIST);
      expect(await stores().state.read([k])).toEqual({});
    });
  });

  it('answers ping', async () => {
    await expect(stores().ping()).resolves.toBeUndefined();
  });
}

describe('store contract on memory', () => {
  let stores: Stores;
  beforeAll(() => {
    stores = createMemoryStores({ retentionDays: RETENTION_DAYS });
  });
  afterAll(() => stores.close());

  storeContract(() => stores);
});

describe.each(REDIS_BACKENDS)('store contract on %s', (_name, start) => {
  let backend: RedisBackend;
  let stores: Stores;
  let inspector: Redis | Cluster;
  const keyPrefix = `contract-${hex(4)}:`;
  const keys = new RedisKeys(keyPrefix);

  beforeAll(async () => {
    backend = await start();
    stores = createRedisStores({ ...backend.target, keyPrefix, retentionDays: RETENTION_DAYS });
    inspector = backend.inspector();
  });
  afterAll(async () => {
    await stores?.close();
    await backend?.destroy();
  });

  storeContract(() => stores);

  it('skips a repeat of a message stored as JSON before the short form existed', async () => {
    const c = conversationId();
    await stores.conversations.create(meta(c));
    const message = {
      type: 'message',
      text: 'hi',
      id: `${c}|c0ffee`,
      channelId: 'directline',
      serviceUrl: 'urn:directline',
      timestamp: '2026-11-23T11:06:18.001Z',
      from: { id: 'dl_pupil', name: '', role: 'user' },
      recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
      conversation: { id: c, isGroup: false, conversationType: 'personal', name: '' },
    };
    await inspector.rpush(
      keys.log(c),
      JSON.stringify({ '~i': 'c0ffee', '~c': 1, '~r': 1, '~t': Date.parse(message.timestamp).toString(36), '~d': 1, type: 'message', text: 'hi', from: message.from }),
    );
    expect(await stores.conversations.appendIfNew(c, message)).toBe(false);
    expect(await stores.conversations.read(c, 0)).toEqual({ activities: [message], watermark: 1 });
    expect(await stores.conversations.appendIfNew(c, { ...message, id: `${c}|c0ffee2` })).toBe(true);
    expect((await inspector.lrange(keys.log(c), 1, 1))[0]).toMatch(/^t\tc0ffee2\t/);
  });

  it('keeps no trace of erased activities in Redis, and the log keeps its TTL', async () => {
    const c = conversationId();
    const word = `zebra${hex(4)}`;
    await stores.conversations.create(meta(c));
    await stores.conversations.append(c, [{ text: `I said ${word}` }]);
    const ttlBefore = await inspector.pttl(keys.log(c));
    await stores.conversations.erase(c);
    const stored = await inspector.lrange(keys.log(c), 0, -1);
    expect(stored).toHaveLength(1);
    expect(stored.join('')).not.toContain(word);
    const ttlAfter = await inspector.pttl(keys.log(c));
    expect(ttlAfter).toBeGreaterThan(0);
    expect(ttlAfter).toBeLessThanOrEqual(ttlBefore);
  });

  it("keeps the bot's reply bodies once for all conversations, and still reads a log whose shared body was lost", async () => {
    const reply = { type: 'message', text: `Hello ${hex(4)}`, from: { id: 'careers-bot', name: 'Careers bot', role: 'bot' } };
    const [a, b] = [conversationId(), conversationId()];
    for (const c of [a, b]) {
      await stores.conversations.create(meta(c));
      await stores.conversations.append(c, [{ type: 'message', text: 'hi', from: { id: 'pupil', role: 'user' } }, reply]);
    }
    const shared = Object.values(await inspector.hgetall(keys.replyBodies)).filter((json) => json.includes(reply.text));
    expect(shared).toHaveLength(1);
    expect((await stores.conversations.read(b, 0)).activities).toEqual([{ type: 'message', text: 'hi', from: { id: 'pupil', role: 'user' } }, reply]);
    // Redis lost the shared bodies (no persistence): another instance, which has not read the reply
    // before, cannot read it back, but reads the rest of the log, watermark and all.
    await inspector.del(keys.replyBodies);
    const other = createRedisStores({ ...backend.target, keyPrefix, retentionDays: RETENTION_DAYS });
    try {
      expect(await other.conversations.read(a, 0)).toEqual({ activities: [{ type: 'message', text: 'hi', from: { id: 'pupil', role: 'user' } }], watermark: 2 });
    } finally {
      await other.close();
    }
  });

  it('stores each item as a hash of its value without the eTag, and the eTag', async () => {
    const k = stateKey();
    await stores.state.write({ [k]: { n: 1, eTag: '*' } });
    const stored = await inspector.hgetall(keys.state(k));
    expect(JSON.parse(stored.v)).toEqual({ n: 1 });
    expect(stored.e).toBe((await stores.state.read([k]))[k].eTag);
  });

  it('keeps a conversation state item as its plain JSON in Redis and reads it back exactly, eTag and all', async () => {
    const k = stateKey();
    const dialogState = {
      dialogStack: [
        { id: 'route', state: {} },
        { id: 'post16Dialog', state: { options: { answerId: 'post16.t-levels', history: ['post16.overview'] }, stepIndex: 1 } },
      ],
    };
    const value = { conversationData: { notUnderstoodInARow: 0, profile: { age: 15 }, flags: ['free-school-meals'], school: 'default', lastTopic: 'post16', topicsCounted: ['post16'] }, dialogState };
    await stores.state.write({ [k]: { ...value, eTag: '*' } });
    const stored = await inspector.hgetall(keys.state(k));
    expect(stored.v).toBe(JSON.stringify(value));
    const read = (await stores.state.read([k]))[k];
    expect(read).toEqual({ ...value, eTag: stored.e });
    // and a conditional write against the eTag it read still works
    await stores.state.write({ [k]: { ...value, extra: true, eTag: read.eTag } });
    expect((await stores.state.read([k]))[k]).toMatchObject({ extra: true });
  });

  // Last in this suite, so it also sees every key the tests above wrote.
  it('gives every key it writes the retention TTL', async () => {
    const c = conversationId();
    await stores.state.write({ [stateKey()]: { n: 1 } });
    await stores.conversations.create(meta(c));
    await stores.conversations.markStarted(c);
    await stores.conversations.append(c, [{ n: 1 }]);
    await stores.conversations.appendIfNew(c, { id: 'once' });
    // a reply of the bot's own: its body goes to the shared bodies hash
    await stores.conversations.append(c, [{ type: 'message', text: 'Hello', from: { id: 'careers-bot', name: 'Careers bot', role: 'bot' } }]);
    await stores.secrets.getOrCreate('ttl', 'value');

    const stored = await backend.keys(`${keyPrefix}*`);
    const kind = (key: string) =>
      key
        .slice(keyPrefix.length)
        .replace(/^dl:\{[^}]+\}:/, 'dl:*:')
        .replace(/^(state|secret|transcript):.*$/, '$1');
    const kinds = new Set(stored.map(kind));
    expect([...kinds].sort()).toEqual(['dl:*:log', 'dl:*:meta', 'dl:bodies', 'secret', 'state', 'transcript']);

    const ttls = await Promise.all(stored.map(async (key) => ({ key, ttl: await inspector.pttl(key) })));
    const outside = ttls.filter(({ ttl }) => !(ttl > 0 && ttl <= RETENTION_DAYS * DAY_MS));
    expect(outside).toEqual([]);
    expect(stored.length).toBeGreaterThan(20);
  });
});

describe('redis stores when the server goes away', () => {
  it('ping rejects saying Redis is not answering, then recovers with the data after a restart', async () => {
    const server = await startRedisServer({ appendonly: true });
    const stores = createRedisStores({ url: server.url, keyPrefix: `down-${hex(3)}:`, retentionDays: 1 });
    let back: RedisServer | undefined;
    try {
      await stores.state.write({ k: { n: 1 } });
      const before = (await stores.state.read(['k'])).k;
      await server.stop();

      const started = Date.now();
      await expect(stores.ping()).rejects.toThrow(/^Redis is not answering/);
      expect(Date.now() - started).toBeLessThan(2500);
      await expect(stores.state.read(['k'])).rejects.toThrow();

      back = await startRedisServer({ port: server.port, dir: server.dir, appendonly: true });
      const deadline = Date.now() + 10_000;
      let answering = false;
      // ping fails at once while the connection is down, so wait between tries (and let it reconnect)
      while (!answering && Date.now() < deadline) {
        answering = await stores.ping().then(
          () => true,
          () => false,
        );
        if (!answering) await settle();
      }
      expect(answering).toBe(true);
      expect((await stores.state.read(['k'])).k).toEqual(before);
    } finally {
      await stores.close();
      await back?.stop();
      await server.destroy();
    }
  });
});

describe('redis store logging', () => {
  it('warns about connection errors without crashing and without the password in the URL', async () => {
    const server = await startRedisServer();
    const admin = new Redis(server.url);
    // With a different password required, every connect attempt of the stores fails.
    await admin.config('SET', 'requirepass', `other-${hex(8)}`);
    await admin.quit();
    const warnings: unknown[] = [];
    const password = `pw-${hex(8)}`;
    const stores = createRedisStores({
      url: `redis://default:${password}@127.0.0.1:${server.port}`,
      keyPrefix: `log-${hex(3)}:`,
      retentionDays: 1,
      logger: { warn: (message, fields) => warnings.push({ message, fields }) },
    });
    try {
      await expect(stores.ping()).rejects.toThrow(/^Redis is not answering/);
      const deadline = Date.now() + 3000;
      while (warnings.length === 0 && Date.now() < deadline) await settle();
      expect(warnings).toEqual([{ message: 'redis connection problem', fields: expect.objectContaining({ redis: `127.0.0.1:${server.port}` }) }]);
      expect(JSON.stringify(warnings)).not.toContain(password);
    } finally {
      await stores.close();
      await server.destroy();
    }
  });
});

describe('memory store retention', () => {
  it('forgets state, conversations and secrets after the retention period, counted from the last write', async () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const stores = createMemoryStores({ retentionDays: 30, now: () => now });
    try {
      await stores.state.write({ old: { n: 1 }, renewed: { n: 1 } });
      await stores.conversations.create(meta('convold'));
      await stores.conversations.append('convold', [{ n: 1 }]);
      await stores.conversations.create(meta('convrenewed'));
      await stores.secrets.getOrCreate('old', 'first');
      await stores.secrets.getOrCreate('renewed', 'first');

      now += 29 * DAY_MS;
      expect(await stores.state.read(['old'])).toEqual({ old: { n: 1, eTag: expect.any(String) } });
      await stores.state.write({ renewed: { n: 2 } });
      await stores.conversations.append('convrenewed', [{ n: 1 }]);
      await stores.secrets.getOrCreate('renewed', 'ignored');

      now += 2 * DAY_MS;
      expect(await stores.state.read(['old', 'renewed'])).toEqual({ renewed: { n: 2, eTag: expect.any(String) } });
      expect(await stores.conversations.getMeta('convold')).toBeUndefined();
      expect(await stores.conversations.read('convold', 0)).toEqual({ activities: [], watermark: 0 });
      expect(await stores.conversations.getMeta('convrenewed')).toEqual(meta('convrenewed'));
      expect(await stores.secrets.getOrCreate('old', 'second')).toBe('second');
      expect(await stores.secrets.getOrCreate('renewed', 'second')).toBe('first');
      // An expired key counts as absent for the eTag rules too.
      await expect(stores.state.write({ old: { n: 3, eTag: ETAG_MUST_NOT_EXIST } })).resolves.toBeUndefined();
    } finally {
      await stores.close();
    }
  });
});

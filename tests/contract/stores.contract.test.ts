import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { createRedisStores } from '../../adapters/redis/redisStores';
import { ETAG_MUST_NOT_EXIST, type ConversationMeta, type Stores } from '../../bot/ports';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const RETENTION_DAYS = 30;
const conflict = (key: string) => `Storage: error writing "${key}" due to eTag conflict.`;
const meta = (conversationId: string): ConversationMeta => ({ conversationId, userId: 'dl_u', createdAt: '2026-11-23T10:00:00.000Z', started: false });

interface Backend {
  name: string;
  setUp(): Promise<Stores>;
  tearDown(): Promise<void>;
}

let redis: RedisServer | undefined;
const prefix = `contract-${randomBytes(3).toString('hex')}:`;

const backends: Backend[] = [
  {
    name: 'memory',
    setUp: async () => createMemoryStores({ retentionDays: RETENTION_DAYS }),
    tearDown: async () => undefined,
  },
  {
    name: 'redis',
    setUp: async () => {
      redis = await startRedisServer();
      return createRedisStores({ url: redis.url, keyPrefix: prefix, retentionDays: RETENTION_DAYS });
    },
    tearDown: async () => redis?.destroy(),
  },
];

describe.each(backends)('store contract on $name', (backend) => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await backend.setUp();
  });
  afterAll(async () => {
    await stores.close();
    await backend.tearDown();
  });

  const key = () => `directline/conversations/${randomBytes(4).toString('hex')}/`;

  describe('state storage (botbuilder Storage)', () => {
    it('reads nothing for missing keys, and {} for no keys', async () => {
      expect(await stores.state.read([key()])).toEqual({});
      expect(await stores.state.read([])).toEqual({});
    });

    it('returns what was written, with an eTag', async () => {
      const k = key();
      await stores.state.write({ [k]: { count: 1, nested: { a: ['x'] } } });
      const item = (await stores.state.read([k]))[k];
      expect(item).toEqual({ count: 1, nested: { a: ['x'] }, eTag: expect.any(String) });
    });

    it('changes the eTag on every write', async () => {
      const k = key();
      await stores.state.write({ [k]: { n: 1 } });
      const first = (await stores.state.read([k]))[k].eTag;
      await stores.state.write({ [k]: { n: 2 } });
      const second = (await stores.state.read([k]))[k].eTag;
      expect(second).not.toBe(first);
    });

    it('writes with the eTag just read', async () => {
      const k = key();
      await stores.state.write({ [k]: { n: 1 } });
      const read = (await stores.state.read([k]))[k];
      await stores.state.write({ [k]: { ...read, n: 2 } });
      expect((await stores.state.read([k]))[k].n).toBe(2);
    });

    it('refuses a write with a stale eTag, with MemoryStorage\'s message, and keeps the newer value', async () => {
      const k = key();
      await stores.state.write({ [k]: { n: 1 } });
      const stale = (await stores.state.read([k]))[k];
      await stores.state.write({ [k]: { n: 2 } });
      await expect(stores.state.write({ [k]: { ...stale, n: 3 } })).rejects.toThrow(conflict(k));
      expect((await stores.state.read([k]))[k].n).toBe(2);
    });

    it("overwrites with eTag '*' and with no eTag", async () => {
      const k = key();
      await stores.state.write({ [k]: { n: 1 } });
      await stores.state.write({ [k]: { n: 2, eTag: '*' } });
      expect((await stores.state.read([k]))[k].n).toBe(2);
      await stores.state.write({ [k]: { n: 3 } });
      expect((await stores.state.read([k]))[k].n).toBe(3);
    });

    it('refuses an eTag for a key that does not exist', async () => {
      const k = key();
      await expect(stores.state.write({ [k]: { n: 1, eTag: 'abc' } })).rejects.toThrow(conflict(k));
    });

    it('creates once with ETAG_MUST_NOT_EXIST, then refuses', async () => {
      const k = key();
      await stores.state.write({ [k]: { n: 1, eTag: ETAG_MUST_NOT_EXIST } });
      await expect(stores.state.write({ [k]: { n: 2, eTag: ETAG_MUST_NOT_EXIST } })).rejects.toThrow(conflict(k));
      expect((await stores.state.read([k]))[k].n).toBe(1);
    });

    it('lets exactly one of two concurrent writers with the same eTag win', async () => {
      const k = key();
      await stores.state.write({ [k]: { n: 0 } });
      const read = (await stores.state.read([k]))[k];
      const results = await Promise.allSettled([stores.state.write({ [k]: { ...read, n: 'a' } }), stores.state.write({ [k]: { ...read, n: 'b' } })]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(String(rejected[0].reason.message)).toBe(conflict(k));
    });

    it('lets exactly one of many concurrent first writers create a key', async () => {
      const k = key();
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, n) => stores.state.write({ [k]: { n, eTag: ETAG_MUST_NOT_EXIST } })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    });

    it('deletes', async () => {
      const k = key();
      await stores.state.write({ [k]: { n: 1 } });
      await stores.state.delete([k]);
      expect(await stores.state.read([k])).toEqual({});
    });

    it('hands out copies: changing a read item does not change the store', async () => {
      const k = key();
      await stores.state.write({ [k]: { list: [1] } });
      const item = (await stores.state.read([k]))[k];
      item.list.push(2);
      expect((await stores.state.read([k]))[k].list).toEqual([1]);
    });

    it('reports the new eTag on the written item', async () => {
      const k = key();
      const item: Record<string, unknown> = { n: 1 };
      await stores.state.write({ [k]: item });
      expect(item.eTag).toBe((await stores.state.read([k]))[k].eTag);
    });
  });

  describe('conversation log', () => {
    const id = () => `conv${randomBytes(6).toString('hex')}`;

    it('creates a conversation once and reads its meta', async () => {
      const c = id();
      await stores.conversations.create(meta(c));
      expect(await stores.conversations.getMeta(c)).toEqual(meta(c));
      await expect(stores.conversations.create(meta(c))).rejects.toThrow(/already exists/);
      expect(await stores.conversations.getMeta(id())).toBeUndefined();
    });

    it('marks a conversation started for exactly one caller, even concurrently', async () => {
      const c = id();
      await stores.conversations.create(meta(c));
      const results = await Promise.all(Array.from({ length: 6 }, () => stores.conversations.markStarted(c)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await stores.conversations.getMeta(c))?.started).toBe(true);
      expect(await stores.conversations.markStarted(id())).toBe(false);
    });

    it('appends in order and pages by watermark and limit', async () => {
      const c = id();
      await stores.conversations.create(meta(c));
      expect(await stores.conversations.append(c, [{ n: 0 }, { n: 1 }])).toBe(2);
      expect(await stores.conversations.append(c, [{ n: 2 }])).toBe(3);
      expect(await stores.conversations.read(c, 0)).toEqual({ activities: [{ n: 0 }, { n: 1 }, { n: 2 }], watermark: 3 });
      expect(await stores.conversations.read(c, 1, 1)).toEqual({ activities: [{ n: 1 }], watermark: 2 });
      expect(await stores.conversations.read(c, 3)).toEqual({ activities: [], watermark: 3 });
      expect(await stores.conversations.read(c, 99)).toEqual({ activities: [], watermark: 3 });
    });

    it('keeps the order of concurrent appends', async () => {
      const c = id();
      await stores.conversations.create(meta(c));
      await Promise.all(Array.from({ length: 20 }, (_, n) => stores.conversations.append(c, [{ n }])));
      const { activities } = await stores.conversations.read(c, 0);
      expect(activities.map((activity) => activity.n)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    });

    it('notifies subscribers after an append, until they unsubscribe', async () => {
      const c = id();
      await stores.conversations.create(meta(c));
      let calls = 0;
      let heard: () => void = () => undefined;
      const unsubscribe = await stores.conversations.subscribe(c, () => {
        calls += 1;
        heard();
      });
      await new Promise<void>((resolve) => {
        heard = resolve;
        void stores.conversations.append(c, [{ n: 1 }]);
      });
      expect(calls).toBe(1);
      await unsubscribe();
      await stores.conversations.append(c, [{ n: 2 }]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(calls).toBe(1);
    });

    it('removes everything of a conversation', async () => {
      const c = id();
      await stores.conversations.create(meta(c));
      await stores.conversations.append(c, [{ n: 1 }]);
      await stores.conversations.remove(c);
      expect(await stores.conversations.getMeta(c)).toBeUndefined();
      expect(await stores.conversations.read(c, 0)).toEqual({ activities: [], watermark: 0 });
    });
  });

  it('shares one secret: the first stored value wins', async () => {
    const name = `s${randomBytes(3).toString('hex')}`;
    expect(await stores.secrets.getOrCreate(name, 'first')).toBe('first');
    expect(await stores.secrets.getOrCreate(name, 'second')).toBe('first');
  });

  it('answers ping', async () => {
    await expect(stores.ping()).resolves.toBeUndefined();
  });
});

describe('retention', () => {
  it('gives every Redis key the retention TTL', async () => {
    const server = await startRedisServer();
    const keyPrefix = 'ttl-check:';
    const stores = createRedisStores({ url: server.url, keyPrefix, retentionDays: 7 });
    const inspector = new Redis(server.url);
    try {
      await stores.state.write({ a: { n: 1 }, b: { n: 2 } });
      await stores.conversations.create(meta('convttl1'));
      await stores.conversations.append('convttl1', [{ n: 1 }]);
      await stores.secrets.getOrCreate('key', 'value');
      const keys = await inspector.keys(`${keyPrefix}*`);
      expect(keys.length).toBe(5);
      for (const k of keys) {
        const ttl = await inspector.pttl(k);
        expect({ k, positive: ttl > 0, withinRetention: ttl <= 7 * 86_400_000 }).toEqual({ k, positive: true, withinRetention: true });
      }
    } finally {
      inspector.disconnect();
      await stores.close();
      await server.destroy();
    }
  });

  it('forgets memory entries after the retention period', async () => {
    let now = Date.parse('2026-11-23T10:00:00Z');
    const stores = createMemoryStores({ retentionDays: 30, now: () => now });
    await stores.state.write({ k: { n: 1 } });
    await stores.conversations.create(meta('convmem1'));
    await stores.conversations.append('convmem1', [{ n: 1 }]);
    now += 29 * 86_400_000;
    expect(await stores.state.read(['k'])).toEqual({ k: { n: 1, eTag: expect.any(String) } });
    now += 2 * 86_400_000;
    expect(await stores.state.read(['k'])).toEqual({});
    expect(await stores.conversations.getMeta('convmem1')).toBeUndefined();
    expect(await stores.conversations.read('convmem1', 0)).toEqual({ activities: [], watermark: 0 });
    await stores.close();
  });
});

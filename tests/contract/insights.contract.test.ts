import { randomBytes } from 'node:crypto';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { createRedisStores } from '../../adapters/redis/redisStores';
import { INSIGHTS_TTL_MS } from '../../adapters/redis/redisInsights';
import { MAX_PICKUPS_PER_WEEK, type Stores } from '../../bot/ports';
import { REDIS_BACKENDS, type RedisBackend } from '../support/redisBackends';

const school = () => `school-${randomBytes(3).toString('hex')}`;

function insightsContract(stores: () => Stores): void {
  it('adds one to each field named, and reads back what was added', async () => {
    const s = school();
    await stores().insights.increment(s, '2026-W48', ['conversations', 'conversations:out-of-hours']);
    await stores().insights.increment(s, '2026-W48', ['conversations']);
    await stores().insights.increment(s, '2026-W48', []);
    expect(await stores().insights.read(s, '2026-W48')).toEqual({ counts: { conversations: 2, 'conversations:out-of-hours': 1 }, pickupSeconds: [] });
  });

  it('keeps schools and weeks apart', async () => {
    const [a, b] = [school(), school()];
    await stores().insights.increment(a, '2026-W48', ['topic:gcse']);
    await stores().insights.increment(b, '2026-W48', ['topic:jobs']);
    await stores().insights.increment(a, '2026-W49', ['topic:jobs']);
    await stores().insights.addPickup(a, '2026-W48', 60);
    expect(await stores().insights.read(a, '2026-W48')).toEqual({ counts: { 'topic:gcse': 1 }, pickupSeconds: [60] });
    expect(await stores().insights.read(b, '2026-W48')).toEqual({ counts: { 'topic:jobs': 1 }, pickupSeconds: [] });
    expect((await stores().insights.read(a, '2026-W49')).counts).toEqual({ 'topic:jobs': 1 });
    expect(await stores().insights.read(b, '2026-W50')).toEqual({ counts: {}, pickupSeconds: [] });
  });

  it('counts every one of many increments made at once', async () => {
    const s = school();
    await Promise.all(Array.from({ length: 50 }, () => stores().insights.increment(s, '2026-W48', ['handoffs', 'priority:high'])));
    expect((await stores().insights.read(s, '2026-W48')).counts).toEqual({ handoffs: 50, 'priority:high': 50 });
  });

  it('keeps pick-up times as whole seconds, in order, the latest MAX_PICKUPS_PER_WEEK only', async () => {
    const s = school();
    await stores().insights.addPickup(s, '2026-W48', 90.4);
    await stores().insights.addPickup(s, '2026-W48', -3);
    expect((await stores().insights.read(s, '2026-W48')).pickupSeconds).toEqual([90, 0]);
    for (let index = 0; index < MAX_PICKUPS_PER_WEEK + 5; index += 1) await stores().insights.addPickup(s, '2026-W49', index);
    const kept = (await stores().insights.read(s, '2026-W49')).pickupSeconds;
    expect(kept).toHaveLength(MAX_PICKUPS_PER_WEEK);
    expect([kept[0], kept[kept.length - 1]]).toEqual([5, MAX_PICKUPS_PER_WEEK + 4]);
  });
}

describe('insights store contract on memory', () => {
  let stores: Stores;
  beforeAll(() => {
    stores = createMemoryStores({ retentionDays: 30 });
  });
  afterAll(() => stores.close());
  insightsContract(() => stores);
});

describe.each(REDIS_BACKENDS)('insights store contract on %s', (_name, start) => {
  let backend: RedisBackend;
  let stores: Stores;
  const keyPrefix = `insights-${randomBytes(3).toString('hex')}:`;
  beforeAll(async () => {
    backend = await start();
    stores = createRedisStores({ ...backend.target, keyPrefix, retentionDays: 30 });
  });
  afterAll(async () => {
    await stores?.close();
    await backend?.destroy();
  });
  insightsContract(() => stores);

  it('keeps insights for two years, past the 30-day retention of conversations, and nothing else of a pupil', async () => {
    const s = school();
    await stores.insights.increment(s, '2026-W48', ['conversations']);
    await stores.insights.addPickup(s, '2026-W48', 120);
    const inspector = backend.inspector();
    try {
      const keys = (await backend.keys(`${keyPrefix}insights:${s}:*`)).sort();
      expect(keys).toEqual([`${keyPrefix}insights:${s}:2026-W48`, `${keyPrefix}insights:${s}:2026-W48:pickups`]);
      for (const key of keys) {
        const ttl = await inspector.pttl(key);
        expect(ttl).toBeGreaterThan(INSIGHTS_TTL_MS - 60_000);
        expect(ttl).toBeLessThanOrEqual(INSIGHTS_TTL_MS);
      }
      expect(INSIGHTS_TTL_MS).toBe(730 * 86_400_000);
    } finally {
      inspector.disconnect();
    }
  });
});

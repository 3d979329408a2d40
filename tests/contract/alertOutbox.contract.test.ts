import { randomBytes } from 'node:crypto';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { createRedisStores } from '../../adapters/redis/redisStores';
import type { AlertOutbox, SafeguardingAlert, Stores } from '../../bot/ports';
import { REDIS_BACKENDS, type RedisBackend } from '../support/redisBackends';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const T = 1_790_000_000_000;
const LEASE = 30_000;

function alert(overrides: Partial<SafeguardingAlert> = {}): SafeguardingAlert {
  return {
    type: 'safeguarding.alert',
    alertId: hex(16),
    conversationId: `conv${hex(5)}`,
    school: 'default',
    flags: ['crisis'],
    priority: 'urgent',
    queuedAt: new Date(T).toISOString(),
    outOfHours: true,
    consoleUrl: 'https://careers.example.sch.uk/adviser#conversation=x',
    raisedAt: new Date(T).toISOString(),
    ...overrides,
  };
}

const ids = (entries: { alert: SafeguardingAlert }[]) => entries.map((entry) => entry.alert.alertId);

/** One outbox contract, run on memory and on a real redis-server; `other` is a second instance on the same store. */
function outboxContract(outbox: () => AlertOutbox, other: () => AlertOutbox): void {
  it('adds an alert once, whatever state the first is in, and gives it back as it was', async () => {
    const a = alert({ type: 'safeguarding.escalation', escalation: 2, waitedMinutes: 21 });
    expect(await outbox().add(a, T)).toBe(true);
    expect(await outbox().add({ ...a, flags: ['changed'] }, T)).toBe(false);
    expect(await other().add(a, T)).toBe(false);
    expect(await outbox().get(a.alertId)).toEqual({ alert: a, status: 'pending', attempts: 0 });
    await outbox().claimDue(T, T + LEASE, 100);
    await outbox().delivered(a, new Date(T + 5).toISOString());
    expect(await outbox().add(a, T)).toBe(false);
    expect(await outbox().get('no-such-alert')).toBeUndefined();
  });

  it('leases a due alert to one claimer until the lease runs out, then it is due again', async () => {
    const a = alert();
    await outbox().add(a, T + 1000);
    expect(ids(await outbox().claimDue(T, T + LEASE, 100))).not.toContain(a.alertId);
    expect(ids(await outbox().claimDue(T + 1000, T + 1000 + LEASE, 100))).toContain(a.alertId);
    expect(ids(await other().claimDue(T + 2000, T + 2000 + LEASE, 100))).not.toContain(a.alertId);
    expect(ids(await other().claimDue(T + 1000 + LEASE, T + 1000 + 2 * LEASE, 100))).toContain(a.alertId);
  });

  it('gives each due alert to exactly one of many claims made at once', async () => {
    const alerts = Array.from({ length: 12 }, () => alert());
    for (const a of alerts) await outbox().add(a, T - 10);
    const claims = await Promise.all(Array.from({ length: 6 }, (_, index) => (index % 2 ? other() : outbox()).claimDue(T, T + LEASE, 5)));
    const claimed = claims.flatMap(ids).filter((id) => alerts.some((a) => a.alertId === id));
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.length).toBe(alerts.length);
  });

  it('claims at most the limit, earliest due first', async () => {
    const late = alert();
    const early = alert();
    await outbox().add(late, T - 100);
    await outbox().add(early, T - 200);
    const first = ids(await outbox().claimDue(T - 100, T + LEASE, 1));
    expect(first).toEqual([early.alertId]);
  });

  it('counts a failed attempt and makes the alert due again when asked', async () => {
    const a = alert();
    await outbox().add(a, T);
    await outbox().claimDue(T, T + LEASE, 100);
    expect(await outbox().retryAt(a, T + 2000, 'HTTP 500')).toBe(true);
    expect(await outbox().get(a.alertId)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500' });
    expect(ids(await outbox().claimDue(T + 1999, T + LEASE, 100))).not.toContain(a.alertId);
    const again = (await other().claimDue(T + 2000, T + 2000 + LEASE, 100)).find((entry) => entry.alert.alertId === a.alertId);
    expect(again).toMatchObject({ attempts: 1, status: 'pending' });
  });

  it('finishes a delivered alert once: never due again, and no retry brings it back', async () => {
    const a = alert();
    await outbox().add(a, T);
    await outbox().claimDue(T, T + LEASE, 100);
    expect(await outbox().delivered(a, '2026-12-26T23:31:00.000Z')).toBe(true);
    expect(await other().delivered(a, '2026-12-26T23:32:00.000Z')).toBe(false);
    expect(await outbox().retryAt(a, T, 'HTTP 500')).toBe(false);
    expect(await outbox().drop(a)).toBe(false);
    expect(await outbox().get(a.alertId)).toMatchObject({ status: 'delivered', deliveredAt: '2026-12-26T23:31:00.000Z' });
    expect(ids(await outbox().claimDue(T + 10 * LEASE, T + 11 * LEASE, 100))).not.toContain(a.alertId);
  });

  it("keeps each conversation's figures: sent, delivered, pending and the last delivery; a dropped alert is not counted as sent", async () => {
    const conversationId = `conv${hex(5)}`;
    const [one, two, three] = [alert({ conversationId }), alert({ conversationId }), alert({ conversationId, type: 'safeguarding.escalation', escalation: 1 })];
    for (const a of [one, two, three]) await outbox().add(a, T);
    expect((await outbox().stats([conversationId])).get(conversationId)).toEqual({ sent: 3, delivered: 0, pending: 3 });
    await outbox().delivered(one, '2026-12-26T23:31:00.000Z');
    await other().drop(three);
    const figures = await other().stats([conversationId, 'conv-without-alerts']);
    expect(figures.get(conversationId)).toEqual({ sent: 2, delivered: 1, pending: 1, lastDeliveredAt: '2026-12-26T23:31:00.000Z' });
    expect(figures.has('conv-without-alerts')).toBe(false);
    expect(await outbox().get(three.alertId)).toMatchObject({ status: 'dropped' });
    expect(await outbox().stats([])).toEqual(new Map());
  });

  it('keeps the attempts an alert brings when it is added (handed over from another outbox)', async () => {
    const a = alert();
    expect(await outbox().add(a, T, 4)).toBe(true);
    expect(await outbox().get(a.alertId)).toMatchObject({ attempts: 4, status: 'pending' });
  });
}

describe('alert outbox contract on memory', () => {
  let stores: Stores;
  beforeAll(() => {
    stores = createMemoryStores({ retentionDays: 30 });
  });
  afterAll(() => stores.close());
  outboxContract(
    () => stores.alerts,
    () => stores.alerts,
  );
});

describe.each(REDIS_BACKENDS)('alert outbox contract on %s', (_name, start) => {
  let backend: RedisBackend;
  let stores: Stores;
  let second: Stores;
  const keyPrefix = `alerts-${hex(3)}:`;
  beforeAll(async () => {
    backend = await start();
    stores = createRedisStores({ ...backend.target, keyPrefix, retentionDays: 30 });
    // another instance: its own connection to the same Redis
    second = createRedisStores({ ...backend.target, keyPrefix, retentionDays: 30 });
  });
  afterAll(async () => {
    await stores?.close();
    await second?.close();
    await backend?.destroy();
  });
  outboxContract(
    () => stores.alerts,
    () => second.alerts,
  );

  it('keeps a pending alert across a new connection (a restarted process finds it)', async () => {
    const a = alert();
    await stores.alerts.add(a, T);
    await stores.alerts.claimDue(T, T + LEASE, 100);
    await stores.alerts.retryAt(a, T + 1000, 'HTTP 503');
    const restarted = createRedisStores({ ...backend.target, keyPrefix, retentionDays: 30 });
    try {
      expect(ids(await restarted.alerts.claimDue(T + 1000, T + 1000 + LEASE, 100))).toContain(a.alertId);
    } finally {
      await restarted.close();
    }
  });
});

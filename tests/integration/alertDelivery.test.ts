import { systemClock } from '../../bot/clock';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { WebhookReceiver } from '../support/webhookReceiver';
import { alertsInstance, hex, signatureVerifies, until, urgentRequest, type AlertsInstance } from '../support/alertsHarness';

/**
 * Safeguarding alerts from the queue to a real HTTP receiver, through a real redis-server:
 * signed, retried until a 2xx, kept in Redis across a restart, sent once by two instances, and
 * still sent from memory when Redis is down.
 */
describe('safeguarding alert delivery', () => {
  let redis: RedisServer;
  let receiver: WebhookReceiver;
  const instances: AlertsInstance[] = [];
  const prefix = () => `alerts-${hex(3)}:`;
  const instance = (keyPrefix: string, options = {}) => {
    const made = alertsInstance(redis.url, keyPrefix, { SAFEGUARDING_WEBHOOK_URL: `${receiver.url}/hooks/safeguarding` }, systemClock, options);
    instances.push(made);
    return made;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(async () => {
    receiver = await new WebhookReceiver().start();
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((made) => made.close().catch(() => undefined)));
    await receiver.close();
  });
  afterAll(() => redis.destroy());

  it('POSTs a signed alert for an urgent queueing that names the conversation and never carries what the pupil said', async () => {
    const { alerts, stores } = instance(prefix());
    alerts.start();
    const request = urgentRequest(new Date(), { summary: 'Topic: apprenticeships. Flags: crisis.' });
    const item = await alerts.queue.enqueue(request);
    expect(item).toMatchObject({ conversationId: request.conversationId, priority: 'urgent' });
    const [call] = await receiver.waitFor((calls) => calls.length === 1);
    expect(call.path).toBe('/hooks/safeguarding');
    expect(call.headers['content-type']).toBe('application/json');
    expect(signatureVerifies(call)).toBe(true);
    expect(signatureVerifies(call, 'another-secret-of-the-same-size')).toBe(false);
    expect(Object.keys(call.json).sort()).toEqual(['alertId', 'consoleUrl', 'conversationId', 'flags', 'outOfHours', 'priority', 'queuedAt', 'raisedAt', 'school', 'type']);
    expect(call.json).toMatchObject({
      type: 'safeguarding.alert',
      conversationId: request.conversationId,
      school: 'default',
      flags: ['crisis'],
      priority: 'urgent',
      queuedAt: request.at.toISOString(),
      consoleUrl: `https://careers.example.sch.uk/adviser#conversation=${request.conversationId}`,
    });
    expect(call.headers['x-careers-alert-id']).toBe(call.json.alertId);
    expect(call.raw).not.toContain('apprenticeships');
    expect(typeof call.json.outOfHours).toBe('boolean');
    await until(async () => (await stores.alerts.get(String(call.json.alertId)))?.status === 'delivered', 'delivery recorded');
    expect((await alerts.stats([request.conversationId])).get(request.conversationId)).toMatchObject({ sent: 1, delivered: 1, pending: 0 });
  });

  it('makes a new alert for each urgent request (a later crisis in the conversation), the same one for a retried request, and none for other priorities', async () => {
    const { alerts } = instance(prefix());
    alerts.start();
    const first = urgentRequest(new Date(Date.now() - 60_000));
    await alerts.queue.enqueue(first);
    await alerts.queue.enqueue({ ...first });
    await alerts.queue.enqueue({ ...first, at: new Date() });
    await alerts.queue.enqueue(urgentRequest(new Date(), { flags: ['wellbeing'], priority: 'high' }));
    await alerts.queue.enqueue(urgentRequest(new Date(), { flags: ['asked-for-adviser'], priority: 'standard' }));
    await receiver.waitFor((calls) => calls.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.calls).toHaveLength(2);
    expect(new Set(receiver.calls.map((call) => call.json.alertId)).size).toBe(2);
    expect(receiver.calls.map((call) => call.json.conversationId)).toEqual([first.conversationId, first.conversationId]);
  });

  it('retries with back-off after 500s until the receiver answers 2xx, with the same signed body each time', async () => {
    receiver.respond = (_call, index) => (index < 3 ? 500 : 204);
    const { alerts, stores } = instance(prefix());
    alerts.start();
    const request = urgentRequest(new Date());
    await alerts.queue.enqueue(request);
    const calls = await receiver.waitFor((seen) => seen.some((call) => call.status === 204));
    expect(calls.map((call) => call.status)).toEqual([500, 500, 500, 204]);
    expect(new Set(calls.map((call) => call.raw)).size).toBe(1);
    expect(calls.every((call) => signatureVerifies(call))).toBe(true);
    const gaps = calls.slice(1).map((call, index) => call.at - calls[index].at);
    // 100, 200 and 400 ms, each within a fifth either way
    expect(gaps[0]).toBeGreaterThanOrEqual(70);
    expect(gaps[2]).toBeGreaterThan(gaps[0]);
    // The sender records the delivery once the 204 has come back to it, just after the receiver saw the call.
    const alertId = String(calls[0].json.alertId);
    await until(async () => (await stores.alerts.get(alertId))?.status === 'delivered', 'the delivery recorded');
    expect(await stores.alerts.get(alertId)).toMatchObject({ status: 'delivered', attempts: 3, lastError: 'HTTP 500' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(receiver.calls).toHaveLength(4);
  });

  it('delivers an alert left pending in Redis by a stopped instance, from the instance started after it', async () => {
    receiver.respond = () => 503;
    const keyPrefix = prefix();
    const before = instance(keyPrefix);
    before.alerts.start();
    const request = urgentRequest(new Date());
    await before.alerts.queue.enqueue(request);
    await receiver.waitFor((calls) => calls.length >= 2);
    await before.close();
    const failed = receiver.calls.length;

    receiver.respond = () => 200;
    const after = instance(keyPrefix);
    after.alerts.start();
    const calls = await receiver.waitFor((seen) => seen.some((call) => call.status === 200));
    expect(calls.length).toBeGreaterThan(failed);
    expect(calls[calls.length - 1].json).toMatchObject({ type: 'safeguarding.alert', conversationId: request.conversationId, alertId: calls[0].json.alertId });
    expect(signatureVerifies(calls[calls.length - 1])).toBe(true);
  });

  it('sends an alert again when the instance sending it dies mid-POST: its lease runs out and another takes it', async () => {
    receiver.delayMs = 400;
    const keyPrefix = prefix();
    const dying = instance(keyPrefix, { leaseMs: 1500 });
    dying.alerts.start();
    const request = urgentRequest(new Date());
    await dying.alerts.queue.enqueue(request);
    await receiver.waitFor((calls) => calls.length === 1);
    // gone before the answer comes: it never records the delivery
    await dying.stores.close();
    receiver.delayMs = 0;
    const survivor = instance(keyPrefix, { leaseMs: 1500 });
    survivor.alerts.start();
    await receiver.waitFor((calls) => calls.length === 2, 5000);
    expect(receiver.calls[1].json.alertId).toBe(receiver.calls[0].json.alertId);
    await until(async () => (await survivor.stores.alerts.get(String(receiver.calls[0].json.alertId)))?.status === 'delivered', 'delivery recorded by the survivor');
  });

  it('two instances on one Redis deliver each alert once, even the alerts both of them raise', async () => {
    receiver.delayMs = 50;
    const keyPrefix = prefix();
    const [one, two] = [instance(keyPrefix, { pollMs: 10 }), instance(keyPrefix, { pollMs: 10 })];
    one.alerts.start();
    two.alerts.start();
    const now = Date.now();
    const shared = Array.from({ length: 5 }, (_, index) => urgentRequest(new Date(now - index)));
    const own = Array.from({ length: 16 }, (_, index) => urgentRequest(new Date(now - index)));
    await Promise.all([
      ...shared.flatMap((request) => [one.alerts.queue.enqueue(request), two.alerts.queue.enqueue({ ...request })]),
      ...own.map((request, index) => (index % 2 ? one : two).alerts.queue.enqueue(request)),
    ]);
    await receiver.waitFor((calls) => calls.length >= shared.length + own.length);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = receiver.calls.map((call) => String(call.json.alertId));
    expect(ids).toHaveLength(shared.length + own.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(receiver.calls.map((call) => call.json.conversationId))).toEqual(new Set([...shared, ...own].map((request) => request.conversationId)));
  });

  it('still alerts while Redis is down (kept in this process), and hands a kept alert to Redis once it is back', async () => {
    const keyPrefix = prefix();
    const made = instance(keyPrefix);
    made.alerts.start();
    receiver.respond = () => 500;
    await redis.stop();
    const request = urgentRequest(new Date());
    await expect(made.alerts.queue.enqueue(request)).rejects.toThrow();
    await receiver.waitFor((calls) => calls.length >= 2);
    expect(receiver.calls[0].json).toMatchObject({ conversationId: request.conversationId, type: 'safeguarding.alert' });
    expect(signatureVerifies(receiver.calls[0])).toBe(true);

    redis = await startRedisServer({ port: redis.port, dir: redis.dir });
    const alertId = String(receiver.calls[0].json.alertId);
    const inspector = alertsInstance(redis.url, keyPrefix, { SAFEGUARDING_WEBHOOK_URL: receiver.url }, systemClock);
    try {
      await until(async () => (await inspector.stores.alerts.get(alertId).catch(() => undefined))?.status === 'pending', 'the kept alert handed to Redis');
      receiver.respond = () => 200;
      await until(async () => (await inspector.stores.alerts.get(alertId))?.status === 'delivered', 'delivery recorded in Redis');
    } finally {
      await inspector.close();
    }
    expect(receiver.accepted.map((call) => call.json.alertId)).toEqual([alertId]);
  }, 40_000);
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { WebhookReceiver } from '../support/webhookReceiver';
import { alertsInstance, hex, ManualClock, signatureVerifies, until, urgentRequest, type AlertsInstance } from '../support/alertsHarness';

/** 26 December, 23:30: the Christmas holidays, nobody on duty. */
const HOLIDAY_NIGHT = new Date('2026-12-26T23:30:00Z');
/** A Monday in term, 10am: advisers on duty. */
const TERM_MORNING = new Date('2026-11-23T10:00:00Z');
const MINUTE = 60_000;

describe('safeguarding escalations and per-school receivers', () => {
  let redis: RedisServer;
  let receiver: WebhookReceiver;
  const instances: AlertsInstance[] = [];
  const instance = (keyPrefix: string, clock: ManualClock, env: Record<string, string> = {}) => {
    // Sweeps are made by the test, on the hand-moved clock: the timer's would be an hour away.
    const made = alertsInstance(redis.url, keyPrefix, { SAFEGUARDING_WEBHOOK_URL: receiver.url, SAFEGUARDING_ESCALATE_AFTER_MINUTES: '1', ...env }, clock, { sweepMs: 3_600_000 });
    instances.push(made);
    made.alerts.start();
    return made;
  };
  const escalations = () => receiver.calls.filter((call) => call.json.type === 'safeguarding.escalation');

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(async () => {
    receiver = await new WebhookReceiver().start();
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((made) => made.close()));
    await receiver.close();
  });
  afterAll(() => redis.destroy());

  it('escalates an urgent conversation each period it waits unclaimed, once a period, and stops once it is claimed or closed', async () => {
    const clock = new ManualClock(HOLIDAY_NIGHT);
    const { alerts, stores } = instance(`esc-${hex(3)}:`, clock);
    const waiting = urgentRequest(clock.now());
    const closed = urgentRequest(clock.now());
    await alerts.queue.enqueue(waiting);
    await alerts.queue.enqueue(closed);
    await receiver.waitFor((calls) => calls.length === 2);

    clock.advance(MINUTE - 1000);
    expect(await alerts.sweep()).toBe(0);
    clock.advance(1000);
    expect(await alerts.sweep()).toBe(2);
    expect(await alerts.sweep()).toBe(0);
    await receiver.waitFor(() => escalations().length === 2);
    const first = escalations().find((call) => call.json.conversationId === waiting.conversationId);
    expect(first?.json).toMatchObject({
      type: 'safeguarding.escalation',
      escalation: 1,
      waitedMinutes: 1,
      queuedAt: HOLIDAY_NIGHT.toISOString(),
      outOfHours: true,
      flags: ['crisis'],
      priority: 'urgent',
    });
    expect(first && signatureVerifies(first)).toBe(true);

    await stores.queue.claim(closed.conversationId, 'sam');
    await stores.queue.close(closed.conversationId);
    clock.advance(MINUTE / 2);
    expect(await alerts.sweep()).toBe(0);
    clock.advance(MINUTE / 2);
    expect(await alerts.sweep()).toBe(1);
    await receiver.waitFor(() => escalations().length === 3);
    expect(escalations()[2].json).toMatchObject({ conversationId: waiting.conversationId, escalation: 2, waitedMinutes: 2 });
    expect(new Set(escalations().map((call) => call.json.alertId)).size).toBe(3);

    await stores.queue.claim(waiting.conversationId, 'sam');
    clock.advance(5 * MINUTE);
    expect(await alerts.sweep()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(escalations()).toHaveLength(3);
    expect((await alerts.stats([waiting.conversationId])).get(waiting.conversationId)).toMatchObject({ sent: 3, delivered: 3, pending: 0 });
  });

  it('sends one escalation when two instances sweep at the same moment', async () => {
    const clock = new ManualClock(HOLIDAY_NIGHT);
    const keyPrefix = `esc-${hex(3)}:`;
    const [one, two] = [instance(keyPrefix, clock), instance(keyPrefix, clock)];
    const request = urgentRequest(clock.now());
    await one.alerts.queue.enqueue(request);
    clock.advance(MINUTE + 5000);
    const added = await Promise.all([one.alerts.sweep(), two.alerts.sweep(), one.alerts.sweep(), two.alerts.sweep()]);
    expect(added.reduce((sum, count) => sum + count, 0)).toBe(1);
    await receiver.waitFor(() => escalations().length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(escalations()).toHaveLength(1);
  });

  it('drops an escalation not yet delivered when the conversation is claimed meanwhile', async () => {
    receiver.respond = (call) => (call.json.type === 'safeguarding.escalation' ? 500 : 200);
    const clock = new ManualClock(HOLIDAY_NIGHT);
    const { alerts, stores } = instance(`esc-${hex(3)}:`, clock);
    const request = urgentRequest(clock.now());
    await alerts.queue.enqueue(request);
    clock.advance(MINUTE);
    await alerts.sweep();
    await receiver.waitFor(() => escalations().length >= 1);
    const alertId = String(escalations()[0].json.alertId);
    await stores.queue.claim(request.conversationId, 'sam');
    await until(async () => (await stores.alerts.get(alertId))?.status === 'dropped', 'the escalation dropped');
    expect((await alerts.stats([request.conversationId])).get(request.conversationId)).toMatchObject({ sent: 1, delivered: 1, pending: 0 });
  });

  it("says out of hours from the school's calendar at that moment", async () => {
    const clock = new ManualClock(TERM_MORNING);
    const { alerts } = instance(`esc-${hex(3)}:`, clock);
    await alerts.queue.enqueue(urgentRequest(clock.now()));
    clock.advance(HOLIDAY_NIGHT.getTime() - TERM_MORNING.getTime());
    await alerts.queue.enqueue(urgentRequest(clock.now()));
    await receiver.waitFor((calls) => calls.length === 2);
    const byTime = [...receiver.calls].sort((a, b) => String(a.json.queuedAt).localeCompare(String(b.json.queuedAt)));
    expect(byTime.map((call) => call.json.outOfHours)).toEqual([false, true]);
  });

  describe('with a school on Teams Workflows', () => {
    let teams: WebhookReceiver;
    let dir: string;
    beforeEach(async () => {
      teams = await new WebhookReceiver().start();
      dir = mkdtempSync(path.join(tmpdir(), 'alerts-schools-'));
    });
    afterEach(async () => {
      await teams.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("sends that school's alerts as an Adaptive Card message to its own URL, and the other school's as JSON to the default", async () => {
      const workflowUrl = `${teams.url}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=not-logged`;
      const file = path.join(dir, 'schools.json');
      writeFileSync(
        file,
        JSON.stringify({
          schools: [
            { id: 'north-high', name: 'North High School', safeguardingAlerts: { url: workflowUrl, format: 'teams-workflow' } },
            { id: 'south-academy', name: 'South Academy' },
          ],
        }),
      );
      const clock = new ManualClock(HOLIDAY_NIGHT);
      const { alerts } = instance(`esc-${hex(3)}:`, clock, { SCHOOLS_FILE: file });
      const north = urgentRequest(clock.now(), { school: 'north-high', summary: 'Topic: nursing. Flags: crisis.' });
      const south = urgentRequest(clock.now(), { school: 'south-academy' });
      await alerts.queue.enqueue(north);
      await alerts.queue.enqueue(south);
      const [card] = await teams.waitFor((calls) => calls.length === 1);
      await receiver.waitFor((calls) => calls.length === 1);
      expect(receiver.calls[0].json).toMatchObject({ type: 'safeguarding.alert', school: 'south-academy', conversationId: south.conversationId });

      expect(card.path).toBe('/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=not-logged');
      expect(signatureVerifies(card)).toBe(true);
      expect(card.json).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null }] });
      const attachments = card.json.attachments as { content: Record<string, unknown> }[];
      expect(attachments).toHaveLength(1);
      const content = attachments[0].content;
      expect(content).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4' });
      expect(content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in console', url: `https://careers.example.sch.uk/adviser#conversation=${north.conversationId}` }]);
      const body = content.body as { type: string; text?: string; facts?: { title: string; value: string }[] }[];
      expect(body.every((element) => ['TextBlock', 'FactSet'].includes(element.type))).toBe(true);
      const facts = Object.fromEntries(body.flatMap((element) => element.facts ?? []).map((fact) => [fact.title, fact.value]));
      expect(facts).toMatchObject({ School: 'North High School', Flags: 'crisis', 'Adviser hours': 'No: out of hours' });
      expect(facts['Alert id']).toMatch(/^[0-9a-f]{32}$/);
      expect(card.raw).not.toContain('nursing');

      clock.advance(MINUTE);
      await alerts.sweep();
      const [, escalation] = await teams.waitFor((calls) => calls.length === 2);
      expect(JSON.stringify(escalation.json)).toContain('Safeguarding escalation');
      expect(escalation.json.type).toBe('message');
    });
  });
});

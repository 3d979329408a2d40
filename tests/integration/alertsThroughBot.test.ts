import { AdviserClient, ADVISER_PASSWORD } from '../support/adviserClient';
import { signatureVerifies, SECRET, until } from '../support/alertsHarness';
import { content, crisisReplyTexts } from '../support/contentText';
import { DirectLineTestClient } from '../support/directLineClient';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';
import { WebhookReceiver } from '../support/webhookReceiver';
import { StandInConnector } from '../teams/support/standInConnector';

/** 26 December, 23:30: the Christmas holidays, nobody from school on duty. */
const HOLIDAY_NIGHT = '2026-12-26T23:30:00Z';
const CRISIS = 'i cant do this anymore i want to end my life';
const LATER_CRISIS = 'i have been cutting myself again tonight';

interface ConsoleItem {
  conversationId: string;
  priority: string;
  waitingSince: string;
  waitedSeconds: number;
  alerts?: { sent: number; delivered: number; pending: number; lastDeliveredAt?: string };
}

const words = (text: string) => text.split(/\s+/).filter((word) => word.length > 3);

describe('safeguarding alerts through the bot', () => {
  let redis: RedisServer;
  let receiver: WebhookReceiver;
  let server: InProcessServer | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(async () => {
    receiver = await new WebhookReceiver().start();
  });
  afterEach(async () => {
    await server?.close().catch(() => undefined);
    server = undefined;
    await receiver.close();
  });
  afterAll(() => redis.destroy());

  const start = (env: Record<string, string>) =>
    startInProcess({
      REDIS_URL: redis.url,
      SAFEGUARDING_WEBHOOK_URL: `${receiver.url}/alerts`,
      SAFEGUARDING_WEBHOOK_SECRET: SECRET,
      BOT_CLOCK: HOLIDAY_NIGHT,
      ADVISER_USERNAME: 'sam',
      ADVISER_PASSWORD,
      ...env,
    });

  it("alerts on a pupil's crisis and again on a later one, without their words, and the console shows the alerts delivered", async () => {
    server = await start({ REDIS_KEY_PREFIX: 'through-bot:' });
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    await pupil.send(CRISIS);
    await pupil.poll();
    const [alert] = await receiver.waitFor((calls) => calls.length === 1);
    expect(signatureVerifies(alert)).toBe(true);
    expect(alert.json).toMatchObject({ type: 'safeguarding.alert', conversationId: pupil.conversationId, school: 'default', flags: ['crisis'], priority: 'urgent', outOfHours: true });
    expect(alert.json.consoleUrl).toBe(`http://localhost:3978/adviser#conversation=${encodeURIComponent(pupil.conversationId)}`);
    expect(Date.parse(String(alert.json.queuedAt))).toBeGreaterThanOrEqual(Date.parse(HOLIDAY_NIGHT));
    for (const word of words(CRISIS)) expect(alert.raw).not.toContain(word);

    await pupil.send(LATER_CRISIS);
    await pupil.poll();
    await receiver.waitFor((calls) => calls.length === 2);
    expect(receiver.calls[1].json).toMatchObject({ type: 'safeguarding.alert', conversationId: pupil.conversationId });
    expect(receiver.calls[1].json.alertId).not.toBe(alert.json.alertId);
    for (const word of words(LATER_CRISIS)) expect(receiver.calls[1].raw).not.toContain(word);

    const other = await DirectLineTestClient.start(server.url);
    await other.poll();
    await other.send('can I talk to a real person please');
    await other.poll();
    await other.send('yes');
    await other.poll();

    const adviser = new AdviserClient(server.url);
    expect((await adviser.login('sam')).status).toBe(200);
    let items: ConsoleItem[] = [];
    let urgent: ConsoleItem | undefined;
    await until(async () => {
      items = ((await (await adviser.get('/queue')).json()) as { items: ConsoleItem[] }).items;
      urgent = items.find((item) => item.conversationId === pupil.conversationId);
      return urgent?.alerts?.delivered === 2;
    }, 'both alerts shown delivered in the queue');
    expect(urgent?.alerts).toEqual({ sent: 2, delivered: 2, pending: 0, lastDeliveredAt: expect.any(String) });
    // waited by the bot's clock (late December), not this computer's
    expect(urgent?.waitedSeconds).toBeGreaterThanOrEqual(0);
    expect(urgent?.waitedSeconds).toBeLessThan(60);
    const standard = items.find((item) => item.conversationId === other.conversationId);
    expect(standard).toMatchObject({ priority: 'standard', waitedSeconds: expect.any(Number) });
    expect(standard?.alerts).toBeUndefined();
  });

  it('a new flag on a waiting urgent item sends no second alert; once an adviser has closed the crisis, a later request is queued by its own flags, not as urgent', async () => {
    server = await start({ REDIS_KEY_PREFIX: 'edges:' });
    const { queue } = server.runtime.stores;
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    await pupil.send(CRISIS);
    await pupil.poll();
    await receiver.waitFor((calls) => calls.length === 1);

    await pupil.send("i'm in foster care");
    await pupil.poll();
    await until(async () => (await queue.get(pupil.conversationId))?.flags.includes('looked-after') === true, 'the new flag on the urgent item');
    expect(await queue.get(pupil.conversationId)).toMatchObject({ priority: 'urgent', flags: ['crisis', 'looked-after'] });

    const adviser = new AdviserClient(server.url);
    expect((await adviser.login('sam')).status).toBe(200);
    expect((await adviser.post(`/conversations/${pupil.conversationId}/claim`)).status).toBe(200);
    expect((await adviser.post(`/conversations/${pupil.conversationId}/close`, { outcome: 'resolved' })).status).toBe(200);
    await pupil.poll();

    await pupil.send('can I talk to a real person please');
    await pupil.poll();
    await pupil.send('yes');
    await pupil.poll();
    await until(async () => (await queue.get(pupil.conversationId)) !== undefined, 'the new request queued');
    const again = await queue.get(pupil.conversationId);
    // looked-after, said earlier, is context for the adviser; the closed crisis does not make it urgent
    expect(again).toMatchObject({ priority: 'high', status: 'waiting' });
    expect(again?.flags).toEqual(expect.arrayContaining(['looked-after', 'asked-for-adviser']));
    expect(again?.flags).not.toContain('crisis');

    // time for any stray alert to arrive: the outbox sends within a second of recording
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(receiver.calls).toHaveLength(1);
  }, 30_000);

  it('still sends the crisis reply at once with Redis down, and the alert goes from memory', async () => {
    server = await start({ REDIS_KEY_PREFIX: 'down-alerts:' });
    const connector = await new StandInConnector().start();
    try {
      await redis.stop();
      const started = Date.now();
      const response = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: 'crisis-down-1',
          channelId: 'msteams',
          serviceUrl: connector.url,
          text: CRISIS,
          from: { id: 'pupil-1' },
          recipient: { id: 'bot-1' },
          conversation: { id: 'teams-alert-down-1' },
        }),
      });
      expect(response.status).toBeLessThan(500);
      expect(connector.texts[0]).toBe(content.answer('crisis.reply').text);
      expect(Date.now() - started).toBeLessThan(15_000);
      const [alert] = await receiver.waitFor((calls) => calls.length >= 1);
      expect(alert.json).toMatchObject({ type: 'safeguarding.alert', conversationId: 'teams-alert-down-1', priority: 'urgent' });
      expect(signatureVerifies(alert)).toBe(true);
    } finally {
      await connector.close();
      redis = await startRedisServer({ port: redis.port, dir: redis.dir });
    }
  }, 40_000);

  it('out of hours in the Christmas holidays: the honest crisis reply, crisis-mode follow-ups, the alert, and an escalation within 75 seconds with SAFEGUARDING_ESCALATE_AFTER_MINUTES=1', async () => {
    server = await start({ REDIS_KEY_PREFIX: 'realtime:', SAFEGUARDING_ESCALATE_AFTER_MINUTES: '1', PUBLIC_HOSTNAME: 'careers.example.sch.uk' });
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    const botTexts = async (said: string) => {
      await pupil.send(said);
      return (await pupil.poll()).filter((activity) => activity.from?.role === 'bot' && activity.type === 'message').map((activity) => activity.text ?? '');
    };
    // nobody from school until term starts, an alert has gone to the on-call contact, and the services there now
    expect(await botTexts(CRISIS)).toEqual(crisisReplyTexts('crisis.who.out-of-hours-alerted', 'Monday 4 January from 9am'));
    const [alert] = await receiver.waitFor((calls) => calls.length === 1);
    expect(alert.json).toMatchObject({ type: 'safeguarding.alert', outOfHours: true, priority: 'urgent' });
    // crisis mode: short, supportive, a way to talk to someone now; no careers menu, no "didn't get that"
    for (const said of ['no one is here', 'ok']) {
      const reply = await botTexts(said);
      expect(reply).toHaveLength(1);
      expect(reply[0]).toContain('They are back on Monday 4 January from 9am');
      expect(['85258', '116 123', '0800 1111', '999', 'option 2'].some((number) => reply[0].includes(number))).toBe(true);
      expect(reply[0]).not.toContain(content.answer('dialog.rephrase').text);
      expect(reply).not.toContain(content.answer('menu.prompt').text);
    }
    // the follow-ups are not new disclosures: no alert for them
    expect(receiver.calls).toHaveLength(1);
    const calls = await receiver.waitFor((seen) => seen.some((call) => call.json.type === 'safeguarding.escalation'), 75_000);
    const escalation = calls.find((call) => call.json.type === 'safeguarding.escalation');
    expect(escalation?.json).toMatchObject({
      conversationId: pupil.conversationId,
      escalation: 1,
      waitedMinutes: 1,
      outOfHours: true,
      consoleUrl: `https://careers.example.sch.uk/adviser#conversation=${encodeURIComponent(pupil.conversationId)}`,
    });
    expect((escalation?.at ?? 0) - alert.at).toBeGreaterThanOrEqual(59_000);
    expect(escalation && signatureVerifies(escalation)).toBe(true);
  }, 100_000);
});

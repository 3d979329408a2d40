import { randomBytes } from 'node:crypto';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { AdviserClient, ADVISER_PASSWORD } from '../support/adviserClient';
import { content, crisisReplyTexts } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const text = (id: string) => content.answer(id).text;
const isBot = (activity: DLActivity) => activity.from?.role === 'bot' && activity.type === 'message';
const CONTACT_NUMBERS = ['85258', '116 123', '0800 1111', '999', 'option 2'];
const CAREERS_MENU = text('menu.prompt');
const REPHRASE = text('dialog.rephrase');

describe('crisis mode on real Redis', () => {
  let redis: RedisServer;
  /** 26 December, 23:30: the Christmas holidays, nobody from school working */
  let holidays: InProcessServer;
  /** a Monday in term, 10am: adviser hours */
  let term: InProcessServer;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = (clock: string) => ({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `crisis-${randomBytes(3).toString('hex')}:`,
      BOT_CLOCK: clock,
      ADVISER_USERNAME: 'sam',
      ADVISER_PASSWORD,
    });
    holidays = await startInProcess(env('2026-12-26T23:30:00Z'));
    term = await startInProcess(env('2026-11-23T10:00:00Z'));
  }, 30_000);
  afterAll(async () => {
    await holidays?.close();
    await term?.close();
    await redis?.destroy();
  });

  const started = async (server: InProcessServer) => {
    const pupil = await DirectLineTestClient.start(server.url);
    await pupil.poll();
    return pupil;
  };
  const say = async (pupil: DirectLineTestClient, words: string) => {
    await pupil.send(words);
    return (await pupil.poll()).filter(isBot);
  };
  const texts = (activities: DLActivity[]) => activities.map((activity) => activity.text ?? '');
  /** A crisis-mode reply: short, at least one way to talk to someone now, no careers menu, no "didn't get that". */
  const expectSupportive = (activities: DLActivity[]) => {
    const said = texts(activities).join('\n');
    expect(CONTACT_NUMBERS.some((number) => said.includes(number))).toBe(true);
    expect(said).not.toContain(CAREERS_MENU);
    expect(said).not.toContain(REPHRASE);
    for (const topic of content.topics) expect(activities.flatMap((activity) => activity.suggestedActions?.actions ?? []).map((action) => action.title)).not.toContain(topic.label);
    expect(activities).toHaveLength(1);
  };

  it('out of hours: says nobody from school is working and when they are back, and keeps supporting the pupil', async () => {
    const pupil = await started(holidays);
    const first = texts(await say(pupil, 'i want to end my life'));
    expect(first).toEqual(crisisReplyTexts('crisis.who.out-of-hours', 'Monday 4 January from 9am'));
    expect(first.join('\n')).not.toMatch(/I've asked|has been alerted|will join/);

    const nobody = await say(pupil, 'no one is here');
    expectSupportive(nobody);
    expect(nobody[0].text).toContain('They are back on Monday 4 January from 9am');
    const ok = await say(pupil, 'ok');
    expectSupportive(ok);
    // each reply names a different way to talk to someone
    expect(ok[0].text).not.toBe(nobody[0].text);
    expect(await holidays.runtime.stores.queue.get(pupil.conversationId)).toMatchObject({ priority: 'urgent', flags: ['crisis'], status: 'waiting' });
  });

  it('in adviser hours: says an adviser has been alerted and will join here', async () => {
    const pupil = await started(term);
    expect(texts(await say(pupil, 'i keep cutting myself'))).toEqual(crisisReplyTexts('crisis.who.in-hours'));
    const reply = await say(pupil, 'will someone come');
    expectSupportive(reply);
    expect(reply[0].text).toContain(text('crisis.now.in-hours'));
  });

  it('"No" to the safety check leads straight to 999, NHS 111 option 2, Childline, Shout and Samaritans, and marks the item for the adviser', async () => {
    const pupil = await started(holidays);
    await say(pupil, 'i dont want to be alive anymore');
    const reply = await say(pupil, text('crisis.button.not-safe'));
    expect(reply).toHaveLength(1);
    expect(reply[0].text).toContain(text('crisis.not-safe'));
    for (const contact of CONTACT_NUMBERS) expect(reply[0].text).toContain(contact);
    const item = await holidays.runtime.stores.queue.get(pupil.conversationId);
    expect(item?.summary).toContain('NOT safe right now');
    expect(item?.summary).not.toContain('alive');
  });

  it('"not really" and "not sure" count as not safe; "yes" is heard as safe', async () => {
    const notReally = await started(holidays);
    await say(notReally, 'im going to kill myself');
    expect(texts(await say(notReally, 'not really'))[0]).toContain(text('crisis.not-safe'));

    const unsure = await started(holidays);
    await say(unsure, 'im going to kill myself');
    expect(texts(await say(unsure, 'idk'))[0]).toContain(text('crisis.not-safe'));
    expect((await holidays.runtime.stores.queue.get(unsure.conversationId))?.summary).toContain('not sure they are safe');

    const safe = await started(holidays);
    await say(safe, 'im going to kill myself');
    const reply = await say(safe, 'yeah');
    expectSupportive(reply);
    expect(reply[0].text).toContain(text('crisis.safe'));
  });

  it('leaves crisis mode when the pupil asks a careers question, which is answered', async () => {
    const pupil = await started(holidays);
    await say(pupil, 'my stepdad hits me');
    await say(pupil, "Yes, I'm safe");
    const reply = texts(await say(pupil, 'what is an apprenticeship'));
    expect(reply[0]).toBe(text('crisis.moving-on'));
    expect(reply).toContain(text('apprenticeships.overview'));
    // back to the bot as usual: the urgent item stays for the adviser
    expect(texts(await say(pupil, 'blorp wibble'))).toContain(REPHRASE);
    expect((await holidays.runtime.stores.queue.get(pupil.conversationId))?.priority).toBe('urgent');
  });

  it('leaves crisis mode when the pupil says they are OK to carry on, with the menu', async () => {
    const pupil = await started(holidays);
    await say(pupil, 'kms');
    const reply = await say(pupil, "i'm ok now");
    expect(texts(reply)).toEqual([text('crisis.carry-on'), CAREERS_MENU]);
  });

  it('shows the contacts again on request, and a later disclosure answers and queues again', async () => {
    const pupil = await started(holidays);
    await say(pupil, 'i want to die');
    await say(pupil, "Yes, I'm safe");
    const contacts = await say(pupil, text('crisis.button.contacts'));
    expect(contacts[0].text).toContain(text('crisis.contacts'));
    const again = texts(await say(pupil, 'i really want to kill myself'));
    expect(again[0]).toBe(text('crisis.reply'));
    expect(again[again.length - 1]).toBe(text('crisis.safety-check'));
    const items = (await holidays.runtime.stores.queue.list()).filter((item) => item.conversationId === pupil.conversationId);
    expect(items).toHaveLength(1);
    // the safety check is asked again, and answered
    expect(texts(await say(pupil, 'no'))[0]).toContain(text('crisis.not-safe'));
  });

  it('does not let an urgent request be cancelled', async () => {
    const pupil = await started(holidays);
    await say(pupil, 'i want to hurt myself');
    expect(texts(await say(pupil, 'cancel'))).toEqual([text('crisis.cancel-kept')]);
    expect((await holidays.runtime.stores.queue.get(pupil.conversationId))?.priority).toBe('urgent');
  });

  it('ends when an adviser closes the conversation: the pupil is back with the bot', async () => {
    const pupil = await started(term);
    await say(pupil, 'i want to hurt myself');
    const adviser = new AdviserClient(term.url);
    expect((await adviser.login('sam')).status).toBe(200);
    expect((await adviser.post(`/conversations/${pupil.conversationId}/claim`)).status).toBe(200);
    expect(texts((await pupil.poll()).filter(isBot))).toEqual([text('handoff.adviser-joined')]);
    // while the adviser is there, the pupil's messages are theirs: the bot says nothing
    expect(await say(pupil, 'hello? are you there')).toEqual([]);
    expect((await adviser.post(`/conversations/${pupil.conversationId}/close`, { outcome: 'resolved' })).status).toBe(200);
    await pupil.poll();
    expect(texts(await say(pupil, 'blorp wibble'))).toContain(REPHRASE);
  });
});

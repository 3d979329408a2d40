import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { AdviserActions, type PupilMessages } from '../../bot/handoff/adviserActions';
import { adviserNotesKey } from '../../bot/handoff/adviserRecords';
import { InsightsRecorder } from '../../bot/insights/insightsRecorder';
import { londonIsoWeek } from '../../bot/insights/isoWeek';
import type { Logger, Stores } from '../../bot/ports';
import { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { content } from '../support/contentText';

/**
 * The adviser's use cases on the in-process stores, with no HTTP: what each does to the queue,
 * the records and the insights, and what the pupil is told. The pupil's side is a stand-in for
 * the channel (the adviser API tests deliver through the real one).
 */
const QUEUED_AT = new Date('2026-11-23T10:00:00Z');
const NOW = new Date('2026-11-23T10:02:00Z');

class PupilInbox implements PupilMessages {
  readonly sent: { conversationId: string; text: string; as: 'adviser' | 'bot'; buttons?: string[] }[] = [];
  failing = false;
  async send(conversationId: string, text: string, as: 'adviser' | 'bot', buttons?: string[]): Promise<void> {
    if (this.failing) throw new Error('the channel is not answering');
    this.sent.push({ conversationId, text, as, ...(buttons ? { buttons } : {}) });
  }
}

describe('adviser actions', () => {
  let stores: Stores;
  let pupil: PupilInbox;
  let warnings: { message: string; fields?: Record<string, unknown> }[];
  let actions: AdviserActions;
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const figures = () => stores.insights.read('north', londonIsoWeek(NOW));

  beforeEach(async () => {
    stores = createMemoryStores({ retentionDays: 30 });
    pupil = new PupilInbox();
    warnings = [];
    const logger: Logger = { debug: () => undefined, info: () => undefined, warn: (message, fields) => warnings.push({ message, fields }), error: () => undefined };
    const schools = new SchoolDirectory([{ id: 'north', name: 'North High', calendar: loadCalendar(), teamsTenants: [] }]);
    const clock = { now: () => NOW };
    actions = new AdviserActions({
      queue: stores.queue,
      keyValue: stores.keyValue,
      pupils: pupil,
      content,
      insights: new InsightsRecorder(stores.insights, clock, logger),
      schools,
      retentionDays: 30,
      now: clock.now,
      logger,
    });
    await stores.queue.enqueue({ conversationId: 'c1', flags: ['asked-for-adviser'], priority: 'standard', channel: 'directline', summary: 'asked for an adviser', at: QUEUED_AT, school: 'north' });
  });
  afterEach(() => stores.close());

  it('claims a waiting conversation, tells the pupil an adviser has joined, and counts the pick-up and its wait', async () => {
    const claimed = await actions.claim('c1', 'sam');
    expect(claimed).toEqual({ done: true, item: expect.objectContaining({ conversationId: 'c1', status: 'claimed', claimedBy: 'sam' }) });
    expect(pupil.sent).toEqual([{ conversationId: 'c1', text: content.answer('handoff.adviser-joined').text, as: 'bot' }]);
    await settle();
    expect(await figures()).toEqual({ counts: { pickups: 1 }, pickupSeconds: [120] });
  });

  it("refuses a second adviser's claim, naming who holds it; claiming again oneself tells the pupil nothing new", async () => {
    await actions.claim('c1', 'sam');
    expect(await actions.claim('c1', 'alex')).toEqual({ done: false, refused: 'not-held', claimedBy: 'sam' });
    expect(await actions.claim('c1', 'sam')).toEqual(expect.objectContaining({ done: true }));
    expect(pupil.sent).toHaveLength(1);
    await settle();
    expect((await figures()).counts.pickups).toBe(1);
    expect(await actions.claim('nobody', 'sam')).toEqual({ done: false, refused: 'not-in-queue' });
  });

  it("sends the adviser's words only from the adviser holding the conversation", async () => {
    expect(await actions.message('c1', 'sam', 'Hello, I am Sam')).toEqual({ done: false, refused: 'not-held', claimedBy: undefined });
    await actions.claim('c1', 'sam');
    expect(await actions.message('c1', 'alex', 'Hi')).toEqual({ done: false, refused: 'not-held', claimedBy: 'sam' });
    expect(await actions.message('c1', 'sam', 'Hello, I am Sam')).toEqual({ done: true });
    expect(pupil.sent.at(-1)).toEqual({ conversationId: 'c1', text: 'Hello, I am Sam', as: 'adviser' });
    expect(await actions.message('gone', 'sam', 'Hi')).toEqual({ done: false, refused: 'not-in-queue' });
  });

  it('keeps private notes on a queued conversation, from any adviser, with who and when', async () => {
    expect(await actions.note('c1', 'alex', 'knows what she wants')).toEqual({ done: true });
    expect((await stores.keyValue.list(adviserNotesKey('c1'))).map((note) => JSON.parse(note))).toEqual([{ by: 'alex', text: 'knows what she wants', timestamp: NOW.toISOString() }]);
    expect(await actions.note('gone', 'alex', 'x')).toEqual({ done: false, refused: 'not-in-queue' });
    expect(pupil.sent).toEqual([]);
  });

  it('closes with an outcome: the record and note kept, the item out of the queue, the outcome counted, the pupil told', async () => {
    await actions.claim('c1', 'sam');
    expect(await actions.close('c1', 'alex', 'resolved')).toEqual({ done: false, refused: 'not-held', claimedBy: 'sam' });
    expect(await actions.close('c1', 'sam', 'referred-on', 'passed to the school nurse')).toEqual({ done: true });
    expect(await stores.queue.get('c1')).toBeUndefined();
    expect(pupil.sent.at(-1)).toEqual({ conversationId: 'c1', text: content.answer('handoff.adviser-left').text, as: 'bot' });
    expect((await stores.keyValue.list(adviserNotesKey('c1'))).map((note) => JSON.parse(note).text)).toEqual(['passed to the school nurse']);
    // the conversation still belongs to its school once closed
    expect(await actions.schoolOf('c1')).toEqual({ school: 'north' });
    expect(await actions.schoolOf('never-queued')).toBeUndefined();
    await settle();
    expect((await figures()).counts).toEqual({ pickups: 1, 'outcome:referred-on': 1 });
    expect(await actions.close('c1', 'sam', 'resolved')).toEqual({ done: false, refused: 'not-in-queue' });
  });

  it('passes a held conversation to another adviser or back to the queue, keeping the hand-over with the notes and telling the pupil', async () => {
    expect(await actions.transfer('c1', 'sam', 'alex')).toEqual({ done: false, refused: 'not-held', claimedBy: undefined });
    await actions.claim('c1', 'sam');
    expect(await actions.transfer('c1', 'alex', 'jo')).toEqual({ done: false, refused: 'not-held', claimedBy: 'sam' });
    const moved = await actions.transfer('c1', 'sam', 'alex', 'she wants to talk about nursing');
    expect(moved).toEqual({ done: true, item: expect.objectContaining({ status: 'claimed', claimedBy: 'alex' }) });
    expect(pupil.sent.at(-1)).toEqual({ conversationId: 'c1', text: content.answer('handoff.adviser-changed').text, as: 'bot' });
    expect(await actions.message('c1', 'sam', 'hi')).toEqual({ done: false, refused: 'not-held', claimedBy: 'alex' });
    expect(await actions.transfer('c1', 'alex', null)).toEqual({ done: true, item: expect.objectContaining({ status: 'waiting', waitingSince: QUEUED_AT.toISOString() }) });
    expect(pupil.sent.at(-1)?.text).toBe(content.answer('handoff.back-in-queue').text);
    expect(await actions.notes('c1')).toEqual([
      { by: 'sam', text: 'she wants to talk about nursing', timestamp: NOW.toISOString(), transferredTo: 'alex' },
      { by: 'alex', text: '', timestamp: NOW.toISOString(), transferredTo: null },
    ]);
    expect(await actions.transfer('gone', 'sam', 'alex')).toEqual({ done: false, refused: 'not-in-queue' });
  });

  it('re-opens a closed conversation claimed by the adviser re-opening it, lists it among the recently closed until then, and tells the pupil', async () => {
    expect(await actions.reopen('c1', 'sam')).toEqual({ done: false, refused: 'still-open' });
    expect(await actions.reopen('never-queued', 'sam')).toEqual({ done: false, refused: 'not-closed' });
    await actions.claim('c1', 'sam');
    await actions.close('c1', 'sam', 'resolved');
    expect((await actions.recentlyClosed(['north'], 7)).map((item) => [item.conversationId, item.outcome, item.closedBy])).toEqual([['c1', 'resolved', 'sam']]);
    expect(await actions.recentlyClosed(['south'], 7)).toEqual([]);
    const reopened = await actions.reopen('c1', 'alex');
    expect(reopened).toEqual({
      done: true,
      item: expect.objectContaining({ conversationId: 'c1', status: 'claimed', claimedBy: 'alex', flags: ['asked-for-adviser'], school: 'north', waitingSince: NOW.toISOString() }),
    });
    expect(pupil.sent.at(-1)).toEqual({ conversationId: 'c1', text: content.answer('handoff.adviser-rejoined').text, as: 'bot' });
    expect(await actions.recentlyClosed(['north'], 7)).toEqual([]);
    expect((await actions.notes('c1')).at(-1)).toEqual({ by: 'alex', text: '', timestamp: NOW.toISOString(), reopened: true });
    expect(await actions.message('c1', 'alex', 'I am back')).toEqual({ done: true });
    expect(await actions.reopen('c1', 'sam')).toEqual({ done: false, refused: 'still-open' });
  });

  it('asks the pupil "Did that help?" after a close, with the faces as buttons, unless they never replied', async () => {
    const asked: { conversationId: string; school: string }[] = [];
    const withFeedback = new AdviserActions({
      queue: stores.queue,
      keyValue: stores.keyValue,
      pupils: pupil,
      content,
      insights: new InsightsRecorder(stores.insights, { now: () => NOW }, { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }),
      schools: new SchoolDirectory([{ id: 'north', name: 'North High', calendar: loadCalendar(), teamsTenants: [] }]),
      retentionDays: 30,
      now: () => NOW,
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      feedback: { question: async (conversationId, school) => (asked.push({ conversationId, school }), { text: 'Did that help?', buttons: ['yes', 'no'] }) },
    });
    await withFeedback.claim('c1', 'sam');
    await withFeedback.close('c1', 'sam', 'resolved');
    expect(asked).toEqual([{ conversationId: 'c1', school: 'north' }]);
    expect(pupil.sent.slice(-2)).toEqual([
      { conversationId: 'c1', text: content.answer('handoff.adviser-left').text, as: 'bot' },
      { conversationId: 'c1', text: 'Did that help?', as: 'bot', buttons: ['yes', 'no'] },
    ]);
    await stores.queue.enqueue({ conversationId: 'c2', flags: ['asked-for-adviser'], priority: 'standard', channel: 'directline', summary: 's', at: QUEUED_AT, school: 'north' });
    await withFeedback.claim('c2', 'sam');
    await withFeedback.close('c2', 'sam', 'no-reply');
    expect(asked).toHaveLength(1);
  });

  it("does not fail the adviser's action when the pupil cannot be told, and logs that without the text", async () => {
    pupil.failing = true;
    expect(await actions.claim('c1', 'sam')).toEqual(expect.objectContaining({ done: true }));
    expect(warnings).toEqual([
      { message: 'could not send a hand-off notice to the pupil', fields: { conversationId: 'c1', answerId: 'handoff.adviser-joined', error: 'the channel is not answering' } },
    ]);
  });
});

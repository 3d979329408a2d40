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
  readonly sent: { conversationId: string; text: string; as: 'adviser' | 'bot' }[] = [];
  failing = false;
  async send(conversationId: string, text: string, as: 'adviser' | 'bot'): Promise<void> {
    if (this.failing) throw new Error('the channel is not answering');
    this.sent.push({ conversationId, text, as });
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
    actions = new AdviserActions({ queue: stores.queue, keyValue: stores.keyValue, pupils: pupil, content, insights: new InsightsRecorder(stores.insights, clock, logger), schools, retentionDays: 30, now: clock.now, logger });
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

  it("does not fail the adviser's action when the pupil cannot be told, and logs that without the text", async () => {
    pupil.failing = true;
    expect(await actions.claim('c1', 'sam')).toEqual(expect.objectContaining({ done: true }));
    expect(warnings).toEqual([{ message: 'could not send a hand-off notice to the pupil', fields: { conversationId: 'c1', answerId: 'handoff.adviser-joined', error: 'the channel is not answering' } }]);
  });
});

import { MemoryKeyValue } from '../../adapters/memory/memoryKeyValue';
import { HandoffWording } from '../../bot/handoff/handoffWording';
import { PresenceBoard, type AdviserPresence } from '../../bot/handoff/presenceBoard';
import type { Logger } from '../../bot/ports';
import { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import { fill } from '../../dialogs/replies';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { content } from '../support/contentText';

const AWAY_AFTER_MS = 10 * 60_000;
/** Tuesday 24 November 2026: 10:00 in London is in adviser hours (9 to 4), 19:00 is not. */
const IN_HOURS = new Date('2026-11-24T10:00:00Z');
const EVENING = new Date('2026-11-24T19:00:00Z');

describe('adviser presence', () => {
  let now: number;
  let board: PresenceBoard;
  beforeEach(() => {
    now = IN_HOURS.getTime();
    board = new PresenceBoard(new MemoryKeyValue(() => now), AWAY_AFTER_MS, () => new Date(now));
  });

  it('is away until set; available or busy lasts the idle time unless said again, then lapses to away', async () => {
    expect(await board.get('sam')).toEqual({ username: 'sam', status: 'away' });
    await board.set('sam', 'available', ['north']);
    expect(await board.get('sam')).toEqual({ username: 'sam', status: 'available', since: IN_HOURS.toISOString(), schools: ['north'] });
    now += AWAY_AFTER_MS - 1000;
    await board.set('sam', 'available', ['north']);
    now += AWAY_AFTER_MS - 1000;
    // renewed: still available, and available since the first time it was set
    expect(await board.get('sam')).toMatchObject({ status: 'available', since: IN_HOURS.toISOString() });
    now += 2000;
    expect((await board.get('sam')).status).toBe('away');
  });

  it('says whether any adviser of a school is available: busy and away do not count, an all-schools adviser counts for every school', async () => {
    expect(await board.anyAvailable('north')).toBe(false);
    await board.set('sam', 'busy', ['north']);
    await board.set('sol', 'available', ['south']);
    expect(await board.anyAvailable('north')).toBe(false);
    expect(await board.anyAvailable('south')).toBe(true);
    await board.set('ada', 'available', ['*']);
    expect(await board.anyAvailable('north')).toBe(true);
    await board.set('ada', 'away', ['*']);
    expect(await board.anyAvailable('north')).toBe(false);
    expect((await board.everyone()).map((entry) => [entry.username, entry.status])).toEqual([
      ['sam', 'busy'],
      ['sol', 'available'],
      ['ada', 'away'],
    ]);
  });
});

describe('what a pupil who asks for a person is told', () => {
  const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const [school] = new SchoolDirectory([{ id: 'north', name: 'North High', calendar: loadCalendar(), teamsTenants: [] }]).all();
  const wording = (presence: AdviserPresence, at: Date) => new HandoffWording(content, presence, { now: () => at }, logger);
  const online: AdviserPresence = { anyAvailable: async (id) => id === 'north' };
  const nobody: AdviserPresence = { anyAvailable: async () => false };
  const broken: AdviserPresence = { anyAvailable: async () => Promise.reject(new Error('store down')) };

  it('"online now" only while an adviser of their school is available, in hours or out', async () => {
    for (const at of [IN_HOURS, EVENING]) {
      expect(await wording(online, at).offer(school)).toBe(content.answer('triage.offer-online').text);
      expect(await wording(online, at).queued(school)).toBe(content.answer('handoff.queued-online').text);
    }
  });

  it('otherwise the calendar: in hours the plain offer, out of hours when advisers are back', async () => {
    expect(await wording(nobody, IN_HOURS).offer(school)).toBe(content.answer('triage.offer').text);
    expect(await wording(nobody, IN_HOURS).queued(school)).toBe(content.answer('handoff.queued').text);
    const when = 'Wednesday 25 November from 9am';
    expect(await wording(nobody, EVENING).offer(school)).toBe(fill(content.answer('triage.offer-out-of-hours').text, { when }));
    expect(await wording(nobody, EVENING).queued(school)).toBe(fill(content.answer('handoff.queued-out-of-hours').text, { when }));
  });

  it('promises nothing when presence cannot be read: the calendar words', async () => {
    expect(await wording(broken, EVENING).queued(school)).toBe(fill(content.answer('handoff.queued-out-of-hours').text, { when: 'Wednesday 25 November from 9am' }));
  });
});

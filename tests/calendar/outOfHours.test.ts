import { mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AdviserCalendar } from '../../bot/calendar/adviserAvailability';
import { describeStart } from '../../bot/calendar/londonTime';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { DirectLineTestClient } from '../support/directLineClient';
import { content, crisisReplyTexts } from '../support/contentText';
import { startInProcess } from '../support/inProcessServer';
import { serverEntry } from '../support/serverProcess';

const calendar = new AdviserCalendar(loadCalendar());
const when = (iso: string) => {
  const availability = calendar.availability(new Date(iso));
  return availability.open ? 'open' : availability.nextOpen ? `${describeStart(availability.nextOpen)} (${availability.nextOpen.toISOString()})` : 'next term';
};

describe('adviser availability on the bot clock (Europe/London)', () => {
  it.each([
    ['a term-time weekday at 10:00', '2026-11-24T10:00:00Z', 'open'],
    ['the same day at 20:00', '2026-11-24T20:00:00Z', 'Wednesday 25 November from 9am (2026-11-25T09:00:00.000Z)'],
    ['a Saturday', '2026-11-28T11:00:00Z', 'Monday 30 November from 9am (2026-11-30T09:00:00.000Z)'],
    ['Christmas Day', '2026-12-25T10:00:00Z', 'Monday 4 January from 9am (2027-01-04T09:00:00.000Z)'],
    ['a half-term Wednesday', '2026-10-28T10:00:00Z', 'Monday 2 November from 9am (2026-11-02T09:00:00.000Z)'],
    ['the day before the clocks go back', '2026-10-24T12:00:00+01:00', 'Monday 2 November from 9am (2026-11-02T09:00:00.000Z)'],
    ['the day before the clocks go forward', '2027-03-27T12:00:00Z', 'Monday 12 April from 9am (2027-04-12T08:00:00.000Z)'],
    ['GCSE results day at 08:05', '2026-08-20T08:05:00+01:00', 'Tuesday 1 September from 9am (2026-09-01T08:00:00.000Z)'],
    ['A level results day', '2026-08-13T09:00:00+01:00', 'Tuesday 1 September from 9am (2026-09-01T08:00:00.000Z)'],
    ['the last day of the summer term at 15:59', '2027-07-21T15:59:00+01:00', 'open'],
    ['the last day of the summer term at 16:01', '2027-07-21T16:01:00+01:00', 'next term'],
    ['a bank holiday Monday in term', '2027-05-03T10:00:00+01:00', 'Tuesday 4 May from 9am (2027-05-04T08:00:00.000Z)'],
  ])('%s', (_name, instant, expected) => {
    expect(when(instant)).toBe(expected);
  });

  it('answers again within the same minute from its cache, and a caller changing its answer changes nothing', () => {
    const first = calendar.availability(new Date('2026-11-24T20:00:10Z'));
    if (first.open || !first.nextOpen) throw new Error('expected closed with a next opening');
    first.nextOpen.setTime(0);
    const again = calendar.availability(new Date('2026-11-24T20:00:50Z'));
    expect(again).toEqual({ open: false, nextOpen: new Date('2026-11-25T09:00:00.000Z') });
    // the next minute is worked out afresh, across an opening time too
    expect(calendar.availability(new Date('2026-11-25T08:59:30Z'))).toEqual({ open: false, nextOpen: new Date('2026-11-25T09:00:00.000Z') });
    expect(calendar.availability(new Date('2026-11-25T09:00:00Z'))).toEqual({ open: true });
  });

  it.each([
    ['GCSE results day at 08:05', '2026-08-20T08:05:00+01:00', 'season.results'],
    ['A level results day', '2026-08-13T09:00:00+01:00', 'season.results'],
    ['three weeks before the January UCAS date', '2026-12-23T10:00:00Z', 'season.ucas-january'],
    ['a term-time weekday in November', '2026-11-24T10:00:00Z', undefined],
    ['Christmas Day', '2026-12-25T10:00:00Z', 'season.ucas-january'],
  ])('what leads on %s', (_name, instant, answer) => {
    expect(calendar.timely(new Date(instant))?.keyDate.answer).toBe(answer);
  });
});

describe('the bot out of term and out of hours', () => {
  const chat = async (clock: string, messages: string[]) => {
    const server = await startInProcess({ BOT_CLOCK: clock });
    try {
      const pupil = await DirectLineTestClient.start(server.url);
      const welcome = (await pupil.poll()).map((activity) => activity.text ?? '');
      const replies: string[] = [];
      for (const message of messages) {
        await pupil.send(message);
        replies.push(...(await pupil.poll()).filter((activity) => activity.from?.role === 'bot' && activity.type === 'message').map((activity) => activity.text ?? ''));
      }
      const item = await server.runtime.stores.queue.get(pupil.conversationId);
      return { welcome, replies, item };
    } finally {
      await server.close();
    }
  };

  it('on GCSE results day leads with results help, says when advisers are back, queues for then and offers the National Careers Service', async () => {
    const { welcome, replies, item } = await chat('2026-08-20T08:05:00+01:00', ['I need an adviser', 'yes']);
    expect(welcome[1]).toBe(content.answer('season.results').text);
    expect(replies.join('\n')).toContain('They are back on Tuesday 1 September from 9am');
    expect(replies.join('\n')).toContain('0800 100 900');
    expect(item).toMatchObject({ status: 'waiting', priority: 'standard' });
  });

  it('in term time during adviser hours says nothing about being away', async () => {
    const { welcome, replies } = await chat('2026-11-24T10:00:00Z', ['I need an adviser', 'yes']);
    expect(welcome[1]).toBe(content.answer('welcome.privacy').text.replace('{retentionDays}', '30'));
    expect(replies).toContain(content.answer('handoff.queued').text);
  });

  it('never holds a crisis reply for adviser hours', async () => {
    const { replies, item } = await chat('2026-12-25T22:00:00Z', ['i want to kill myself']);
    // honest about who is there: nobody from school until the spring term starts
    expect(replies).toEqual(crisisReplyTexts('crisis.who.out-of-hours', 'Monday 4 January from 9am'));
    expect(item?.priority).toBe('urgent');
  });

  it('follows the results-day flow: "I didn\'t get the grades" and "I did better than expected"', async () => {
    const { replies } = await chat('2026-08-20T08:05:00+01:00', ["I didn't get the grades I needed", 'Menu', 'I did better than expected']);
    expect(replies[0]).toBe(content.answer('post16.missed-grades').text);
    expect(replies).toContain(content.answer('results.better').text);
  });
});

describe('TERM_CALENDAR_FILE', () => {
  it('replaces the default, and a bad file stops start-up naming the field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'calendar-'));
    const file = path.join(dir, 'calendar.json');
    writeFileSync(file, JSON.stringify({ source: 'x', lastChecked: '2026-11-01', terms: [{ start: '2026-09-01', end: '2026-07-01' }], adviserHours: {} }));
    const result = spawnSync(process.execPath, [serverEntry], { env: { PATH: process.env.PATH, TERM_CALENDAR_FILE: file, PORT: '3999' }, cwd: tmpdir(), encoding: 'utf8', timeout: 15_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('terms[0].end start must not be after end');
  });

  it("leads with GCSE options in the 30 days before the school's own options deadline", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'calendar-'));
    const file = path.join(dir, 'calendar.json');
    writeFileSync(
      file,
      JSON.stringify({
        source: 'our school',
        lastChecked: '2026-11-01',
        terms: [{ start: '2027-01-04', end: '2027-03-25' }],
        adviserHours: {},
        keyDates: [{ id: 'options-2027', kind: 'gcse-options-deadline', date: '2027-03-05', answer: 'season.gcse-options' }],
      }),
    );
    const custom = new AdviserCalendar(loadCalendar(file));
    expect(custom.timely(new Date('2027-02-20T10:00:00Z'))).toMatchObject({ keyDate: { answer: 'season.gcse-options' }, daysTo: 13 });
    expect(custom.timely(new Date('2027-01-20T10:00:00Z'))).toBeUndefined();
    expect(custom.timely(new Date('2027-03-06T10:00:00Z'))).toBeUndefined();
  });

  it('loads a valid school calendar', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'calendar-'));
    const file = path.join(dir, 'calendar.json');
    writeFileSync(
      file,
      JSON.stringify({ source: 'our school', lastChecked: '2026-11-01', terms: [{ start: '2026-09-07', end: '2026-12-18' }], adviserHours: { tuesday: { from: '13:00', to: '15:30' } } }),
    );
    const custom = new AdviserCalendar(loadCalendar(file));
    const next = custom.availability(new Date('2026-11-23T10:00:00Z'));
    expect(next.open).toBe(false);
    if (!next.open) expect(next.nextOpen?.toISOString()).toBe('2026-11-24T13:00:00.000Z');
  });
});

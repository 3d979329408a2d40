import type { ConsoleQueueItem } from '../../adapters/adviser/shared/consoleApi';
import { matchesFilter } from '../../adapters/adviser/shared/queueFilter';

const item = (overrides: Partial<ConsoleQueueItem>): ConsoleQueueItem => ({
  conversationId: 'c1',
  priority: 'standard',
  flags: ['asked-for-adviser'],
  status: 'waiting',
  waitingSince: '2026-11-24T10:00:00Z',
  channel: 'directline',
  summary: 'Topic: apprenticeships. Flags: asked-for-adviser.',
  school: 'north',
  waitedSeconds: 60,
  ...overrides,
});

describe("the queue's search and filters (server and console alike)", () => {
  const queue = [
    item({ conversationId: 'a', priority: 'urgent', flags: ['crisis'], summary: 'Topic: not chosen yet. Flags: crisis.', waitedSeconds: 20 * 60 }),
    item({ conversationId: 'b', status: 'claimed', claimedBy: 'sam', school: 'south', waitedSeconds: 3 * 60 }),
    item({ conversationId: 'c', priority: 'high', flags: ['young-carer', 'asked-for-adviser'], status: 'claimed', claimedBy: 'alex', waitedSeconds: 70 * 60 }),
  ];
  const ids = (filter: Parameters<typeof matchesFilter>[1], me = 'sam') => queue.filter((candidate) => matchesFilter(candidate, filter, me)).map((candidate) => candidate.conversationId);

  it('filters by school, flag, status (claimed by me too) and time waited', () => {
    expect(ids({})).toEqual(['a', 'b', 'c']);
    expect(ids({ school: 'south' })).toEqual(['b']);
    expect(ids({ flag: 'asked-for-adviser' })).toEqual(['b', 'c']);
    expect(ids({ status: 'waiting' })).toEqual(['a']);
    expect(ids({ status: 'claimed' })).toEqual(['b', 'c']);
    expect(ids({ status: 'mine' })).toEqual(['b']);
    expect(ids({ status: 'mine' }, 'alex')).toEqual(['c']);
    expect(ids({ minWaitMinutes: 15 })).toEqual(['a', 'c']);
    expect(ids({ minWaitMinutes: 60, flag: 'young-carer' })).toEqual(['c']);
  });

  it('searches every word in the summary, flag labels, adviser and id', () => {
    expect(ids({ text: 'young carer' })).toEqual(['c']);
    expect(ids({ text: 'SAFEGUARDING' })).toEqual(['a']);
    expect(ids({ text: 'alex' })).toEqual(['c']);
    expect(ids({ text: 'apprenticeships sam' })).toEqual(['b']);
    expect(ids({ text: '  ' })).toEqual(['a', 'b', 'c']);
  });
});

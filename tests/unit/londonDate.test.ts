import { londonDate } from '../../dialogs/answerView';

describe('londonDate', () => {
  it.each([
    ['a winter evening (GMT)', '2026-11-23T23:59:30Z', '2026-11-23'],
    ['the next minute, past midnight', '2026-11-24T00:00:10Z', '2026-11-24'],
    ['a summer night already tomorrow in England (BST)', '2026-07-01T23:30:00Z', '2026-07-02'],
    ['the first minute of summer time', '2027-03-28T01:00:00Z', '2027-03-28'],
  ])('%s', (_name, instant, expected) => {
    expect(londonDate(new Date(instant))).toBe(expected);
  });

  it('answers the same within a minute and moves on with the next', () => {
    expect(londonDate(new Date('2026-08-19T22:59:00Z'))).toBe('2026-08-19');
    expect(londonDate(new Date('2026-08-19T22:59:59.999Z'))).toBe('2026-08-19');
    expect(londonDate(new Date('2026-08-19T23:00:00Z'))).toBe('2026-08-20');
    expect(londonDate(new Date('2026-08-19T22:59:30Z'))).toBe('2026-08-19');
  });
});

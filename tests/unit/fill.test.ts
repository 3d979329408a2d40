import { fill } from '../../dialogs/replies';

describe('fill', () => {
  it('puts each value in its placeholder', () => {
    expect(fill('We keep it for {retentionDays} days, {retentionDays} at most, from {when}.', { retentionDays: 30, when: 'Monday' })).toBe('We keep it for 30 days, 30 at most, from Monday.');
  });

  it('gives back a text without placeholders as it is, values or none', () => {
    const text = 'Sixth form, college, T Levels, apprenticeships: every route.';
    expect(fill(text)).toBe(text);
    expect(fill(text, { unused: 1 })).toBe(text);
  });

  it('leaves braces that are not a placeholder alone', () => {
    expect(fill('a { b } and {} stay', {})).toBe('a { b } and {} stay');
  });

  it('fails loudly on a placeholder with no value (a content bug)', () => {
    expect(() => fill('Open on {when}.', {})).toThrow(/no value for \{when\}/);
  });
});

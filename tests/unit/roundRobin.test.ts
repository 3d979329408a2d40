import { RoundRobin } from '../../bench/loadClient';

describe("the benchmark's round-robin client", () => {
  it('gives each instance in turn, over and over, whatever asks', () => {
    const spread = new RoundRobin(['http://a', 'http://b']);
    expect(Array.from({ length: 5 }, () => spread.pick())).toEqual(['http://a', 'http://b', 'http://a', 'http://b', 'http://a']);
  });

  it('with one instance always gives it', () => {
    const one = new RoundRobin(['http://only']);
    expect([one.pick(), one.pick(), one.pick()]).toEqual(['http://only', 'http://only', 'http://only']);
  });

  it('refuses no instances at all', () => {
    expect(() => new RoundRobin([])).toThrow(RangeError);
  });
});

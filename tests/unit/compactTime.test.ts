import { compactTime, isoTime } from '../../adapters/redis/compactTime';

describe('compactTime and isoTime', () => {
  it('round-trips an instant as Date#toJSON writes it', () => {
    const iso = '2026-11-23T23:41:56.554Z';
    const compact = compactTime(iso);
    expect(compact).toBe(Date.parse(iso).toString(36));
    expect(isoTime(compact as string)).toBe(iso);
  });

  it('answers the same for a time given again, and the right one for times taken in turn', () => {
    const times = ['2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.001Z', '2026-11-23T10:00:00.001Z', '2026-11-23T10:00:00.000Z'];
    const compacts = times.map((time) => compactTime(time));
    expect(compacts).toEqual(times.map((time) => Date.parse(time).toString(36)));
    expect(compacts.map((compact) => isoTime(compact as string))).toEqual(times);
  });

  it('keeps no compact form for other spellings of an instant, even straight after the same instant', () => {
    expect(compactTime('2026-11-23T10:00:00.000Z')).toBeDefined();
    expect(compactTime('2026-11-23T10:00:00Z')).toBeUndefined();
    expect(compactTime('2026-11-23T10:00:00.000+00:00')).toBeUndefined();
    expect(compactTime('2026-02-30T10:00:00.000Z')).toBeUndefined();
    expect(compactTime('')).toBeUndefined();
    expect(compactTime('2026-11-23T10:00:00.000Z')).toBeDefined();
  });
});

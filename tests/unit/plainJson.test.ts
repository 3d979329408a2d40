import fc from 'fast-check';
import { plainJson, plainJsonObject } from '../../adapters/directline/plainJson';
import { randomHex } from '../../adapters/randomHex';

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');

describe('plainJson', () => {
  it('copies an outgoing activity exactly as a JSON round trip does', () => {
    const activity = {
      type: 'message',
      id: 'abc|0123456789ab',
      timestamp: new Date('2026-11-23T10:00:00.123Z'),
      text: 'What are T Levels?',
      serviceUrl: undefined,
      suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Menu', value: 'Menu' }] },
      channelData: { clientActivityID: 'c1', nested: { when: new Date(0), skip: undefined, fn: () => 1 } },
      entities: [undefined, null, 1, Number.NaN, -0, Infinity, 'x', () => 2, Symbol('s')],
    };
    expect(plainJsonObject(activity)).toEqual(roundTrip(activity));
    expect(JSON.stringify(plainJsonObject(activity))).toBe(JSON.stringify(activity));
  });

  it('keeps "__proto__" as an own field, as JSON.parse does, and sets no prototype', () => {
    const value = JSON.parse('{"value":{"__proto__":{"polluted":true},"a":1}}');
    const copy = plainJsonObject(value);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(roundTrip(value)));
    expect(Object.getPrototypeOf(copy.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('matches JSON.parse(JSON.stringify(x)) for arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withSparseArray: true, withBoxedValues: true }), (value) => {
        // an invalid Date's toJSON() is null; other values are compared by their JSON text
        expect(JSON.stringify(plainJson(value) ?? null)).toBe(JSON.stringify(roundTrip(value)));
        expect(plainJson(value) ?? null).toEqual(roundTrip(value));
      }),
      { numRuns: 500 },
    );
  });
});

describe('randomHex', () => {
  it('gives hex of the asked length, different each time, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i += 1) {
      const hex = randomHex(6);
      expect(hex).toMatch(/^[0-9a-f]{12}$/);
      seen.add(hex);
    }
    expect(seen.size).toBe(5000);
    expect(randomHex(5000)).toMatch(/^[0-9a-f]{10000}$/);
  });
});

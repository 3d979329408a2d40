import { addressKey, forwardedClientAddress } from '../../adapters/http/rateLimit';
import { rateWindow } from '../../adapters/flexibleRateLimit';
import { MemoryRateLimits } from '../../adapters/memory/memoryRateLimits';
import type { RateCheck, RateLimit } from '../../bot/ports';

/**
 * The rate limits counted in this process (no REDIS_URL), on rate-limiter-flexible's
 * RateLimiterMemory. Its windows run on Date.now and setTimeout, so a fake clock moves them.
 */
describe('rateWindow (a per-minute figure as points per fixed window)', () => {
  it.each([
    [60, { points: 30, duration: 30 }],
    [6000, { points: 3000, duration: 30 }],
    [1, { points: 1, duration: 60 }],
    [3, { points: 2, duration: 40 }],
    [7, { points: 4, duration: 35 }],
  ])('%i a minute → %o', (perMinute, window) => {
    expect(rateWindow(perMinute)).toEqual(window);
  });

  it('lets half the figure (rounded up) come at once and never averages more than the figure a minute', () => {
    for (let perMinute = 1; perMinute <= 2000; perMinute += 1) {
      const { points, duration } = rateWindow(perMinute);
      expect(points).toBe(Math.ceil(perMinute / 2));
      expect(Number.isInteger(duration)).toBe(true);
      expect((points * 60) / duration).toBeLessThanOrEqual(perMinute);
    }
  });

  it('refuses a figure that is not a positive whole number (0 is "off", handled before)', () => {
    expect(() => rateWindow(0)).toThrow('rateWindow(): perMinute must be a positive whole number, got 0');
    expect(() => rateWindow(1.5)).toThrow(RangeError);
  });
});

describe('MemoryRateLimits (counted in this process)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'], now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const takeMany = async (limit: RateLimit, key: string, times: number) => {
    const checks: RateCheck[] = [];
    for (let n = 0; n < times; n += 1) checks.push(await limit.take(key));
    return checks;
  };

  it('lets half a minute’s worth through at once, then refuses with Retry-After in whole seconds (rounded up) until the window ends', async () => {
    const limit = new MemoryRateLimits().limit('messages', 60);
    expect((await takeMany(limit, 'conversation-a', 30)).every((check) => check.allowed)).toBe(true);
    expect(await limit.take('conversation-a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    jest.advanceTimersByTime(10_500);
    expect(await limit.take('conversation-a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
    jest.advanceTimersByTime(19_499);
    expect(await limit.take('conversation-a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    jest.advanceTimersByTime(1);
    expect(await limit.take('conversation-a')).toEqual({ allowed: true });
  });

  it('sustains the per-minute figure under a steady flood, and never more', async () => {
    const limit = new MemoryRateLimits().limit('messages', 120);
    let allowed = 0;
    // one attempt every 100 ms for two minutes
    for (let step = 0; step < 1200; step += 1) {
      if ((await limit.take('a')).allowed) allowed += 1;
      jest.advanceTimersByTime(100);
    }
    expect(allowed).toBe(240);
  });

  it('keeps keys and limits apart', async () => {
    const limits = new MemoryRateLimits();
    const messages = limits.limit('messages', 2);
    const polls = limits.limit('polls', 2);
    expect(await messages.take('a')).toEqual({ allowed: true });
    expect((await messages.take('a')).allowed).toBe(false);
    expect(await messages.take('b')).toEqual({ allowed: true });
    expect(await polls.take('a')).toEqual({ allowed: true });
  });

  it('is off at 0 a minute: nothing refused and nothing kept', async () => {
    const limit = new MemoryRateLimits().limit('address', 0);
    expect(limit.enabled).toBe(false);
    const checks = await Promise.all(Array.from({ length: 10_000 }, (_, n) => limit.take(`k${n % 3}`)));
    expect(checks.filter((check) => !check.allowed)).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps a key only for its window: however many keys came, nothing is held once their windows are over', async () => {
    const limit = new MemoryRateLimits().limit('address', 6000);
    for (let n = 0; n < 2000; n += 1) await limit.take(`10.${n % 250}.${Math.floor(n / 250)}.1`);
    // one expiry timer per key held (RateLimiterMemory deletes the key when it fires)
    expect(jest.getTimerCount()).toBe(2000);
    jest.advanceTimersByTime(29_999);
    expect(jest.getTimerCount()).toBe(2000);
    jest.advanceTimersByTime(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('addressKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:abcd:12:1:2:3:4', '2001:db8:abcd:12::/64'],
    ['2001:db8:abcd:12::99', '2001:db8:abcd:12::/64'],
    ['2001:0DB8:0:0012::1', '2001:db8:0:12::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe("forwardedClientAddress (express's trust proxy = loopback, for WebSocket upgrades)", () => {
  it.each([
    ['203.0.113.9', undefined, '203.0.113.9'],
    ['203.0.113.9', '198.51.100.1', '203.0.113.9'], // a client's own header is not believed
    ['127.0.0.1', '198.51.100.1', '198.51.100.1'], // a proxy on this machine is
    ['::ffff:127.0.0.1', '10.9.9.9, 198.51.100.1', '198.51.100.1'], // only its own hop, not what the client claimed before it
    ['127.0.0.1', '127.0.0.1', '127.0.0.1'],
  ])('from %s with X-Forwarded-For %s → %s', (remote, forwarded, expected) => {
    expect(forwardedClientAddress(remote, forwarded)).toBe(expected);
  });
});

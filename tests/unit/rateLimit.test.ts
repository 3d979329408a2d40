import { addressKey, forwardedClientAddress, RateLimiter } from '../../adapters/http/rateLimit';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter (token bucket per key)', () => {
  it('lets a burst through, then refuses with Retry-After in whole seconds until the next request is earned', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ perMinute: 60, burst: 30, now: clock.now });
    for (let n = 0; n < 30; n += 1) expect(limiter.take('conversation-a')).toEqual({ allowed: true });
    expect(limiter.take('conversation-a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(999);
    expect(limiter.take('conversation-a').allowed).toBe(false);
    clock.advance(1);
    expect(limiter.take('conversation-a')).toEqual({ allowed: true });
    expect(limiter.take('conversation-a').allowed).toBe(false);
  });

  it('rounds Retry-After up: 20 a minute earns one every 3 s', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ perMinute: 20, burst: 2, now: clock.now });
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 3 });
    clock.advance(2500);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('sustains perMinute once the burst is spent, and never more', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ perMinute: 120, burst: 10, now: clock.now });
    let allowed = 0;
    // one attempt every 100 ms for a minute: 10 from the burst + 120 earned
    for (let step = 0; step < 600; step += 1) {
      if (limiter.take('a').allowed) allowed += 1;
      clock.advance(100);
    }
    expect(allowed).toBeGreaterThanOrEqual(129);
    expect(allowed).toBeLessThanOrEqual(131);
  });

  it('defaults the burst to half a minute’s worth', () => {
    const limiter = new RateLimiter({ perMinute: 60, now: () => 0 });
    const results = Array.from({ length: 31 }, () => limiter.take('a').allowed);
    expect(results.filter(Boolean)).toHaveLength(30);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1, now: () => 0 });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('is off at perMinute 0 and then keeps nothing', () => {
    const limiter = new RateLimiter({ perMinute: 0 });
    const refused = Array.from({ length: 10_000 }, (_, n) => limiter.take(`k${n % 3}`)).filter((check) => !check.allowed);
    expect(refused).toEqual([]);
    expect(limiter.enabled).toBe(false);
    expect(limiter.size).toBe(0);
  });

  it('keeps at most maxKeys however many distinct keys arrive, forgetting the least recently seen', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1, maxKeys: 1000, now: () => 0 });
    limiter.take('flooded');
    for (let n = 0; n < 1000; n += 1) limiter.take(`stranger-${n}`);
    // 'flooded' was the least recently seen when the 1001st key came, so it was forgotten
    expect(limiter.size).toBe(1000);
    for (let n = 0; n < 100_000; n += 1) limiter.take(`stranger-more-${n}`);
    expect(limiter.size).toBe(1000);
    const recent = new RateLimiter({ perMinute: 60, burst: 1, maxKeys: 3, now: () => 0 });
    recent.take('a');
    recent.take('b');
    recent.take('c');
    recent.take('a'); // seen again: now the most recent, refused
    recent.take('d'); // evicts b, the least recently seen
    expect(recent.take('a').allowed).toBe(false);
    expect(recent.take('c').allowed).toBe(false);
  });

  it('forgets keys idle long enough to be full again, without waiting for maxKeys', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ perMinute: 60, burst: 30, now: clock.now });
    for (let n = 0; n < 500; n += 1) limiter.take(`pupil-${n}`);
    expect(limiter.size).toBe(500);
    clock.advance(35_000);
    limiter.take('late');
    // a bucket of 30 refills in 30 s: the first 500 have been idle for 35 s and are swept
    expect(limiter.size).toBe(1);
    for (let n = 0; n < 500; n += 1) limiter.take(`pupil-${n}`);
    clock.advance(31_000); // those 500 idle 31 s, 'late' idle 31 s: all full again
    limiter.take('later');
    expect(limiter.size).toBe(1);
  });

  it('costs microseconds a call at most, far below a Redis round trip, so it adds nothing measurable to a turn', () => {
    const limiter = new RateLimiter({ perMinute: 6000 });
    // the best of several batches, so a machine busy with other work does not decide the result
    const batches = Array.from({ length: 8 }, (_, batch) => {
      const started = process.hrtime.bigint();
      for (let n = 0; n < 20_000; n += 1) limiter.take(`10.${batch}.${n % 250}.${n % 200}`);
      return Number(process.hrtime.bigint() - started) / 20_000;
    });
    expect(Math.min(...batches)).toBeLessThan(10_000); // ns; a local Redis round trip is ~100 µs
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

import { createHash } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateCheck, RateLimit } from '../bot/ports';

/** rate-limiter-flexible's options for one limit: `points` requests per window of `duration` seconds. */
export interface RateWindow {
  points: number;
  duration: number;
}

/**
 * `perMinute` as a fixed window per key, opened by the key's first request: half the minute's
 * figure (rounded up) may come at once, and then no more until the window ends. The window is
 * 30 s for an even figure; for an odd one, the whole seconds that keep the average at or under
 * `perMinute` (1 a minute: 1 per 60 s; 7 a minute: 4 per 35 s).
 */
export function rateWindow(perMinute: number): RateWindow {
  if (!(Number.isInteger(perMinute) && perMinute > 0)) throw new RangeError(`rateWindow(): perMinute must be a positive whole number, got ${perMinute}`);
  const points = Math.ceil(perMinute / 2);
  return { points, duration: Math.ceil((60 * points) / perMinute) };
}

const ALLOWED: RateCheck = { allowed: true };

/**
 * What a key is counted under: a short hash of it, so the store holds neither a client address
 * nor a conversation id (and "delete my data" has nothing of the conversation to find there).
 */
export function counterKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

/** A limit switched off (0 a minute): allows everything, counts nothing. */
export const noRateLimit: RateLimit = { enabled: false, take: () => Promise.resolve(ALLOWED) };

/**
 * A rate limit on a rate-limiter-flexible limiter. A refusal (the library rejects with a
 * RateLimiterRes) becomes a RateCheck with Retry-After in whole seconds, at least 1; any other
 * rejection is an error and is passed on.
 */
export class FlexibleRateLimit implements RateLimit {
  readonly enabled = true;

  constructor(private readonly limiter: RateLimiterAbstract) {}

  take(key: string): Promise<RateCheck> {
    return this.limiter.consume(counterKey(key)).then(
      () => ALLOWED,
      (refusal: unknown) => {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      },
    );
  }
}

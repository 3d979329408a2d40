import type { Cluster, Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RateLimit, RateLimits } from '../../bot/ports';
import type { RedisKeys } from './keys';
import { FlexibleRateLimit, noRateLimit, rateWindow } from '../flexibleRateLimit';

/**
 * Rate limits counted on Redis, so every instance shares one count per key: N instances allow the
 * limit once, not N times. Each key is one Redis key, `<prefix>rl:<limit>:<key>`, incremented by
 * one single-key script (so any Redis Cluster slot will do) and expiring with its window.
 *
 * While Redis is not ready (down, reconnecting) or a command fails, each limit counts in this
 * process instead (rate-limiter-flexible's insurance limiter, with the same window): requests are
 * still limited, per instance, and none fails because Redis is down. When Redis is back, the
 * shared count is used again.
 */
export class RedisRateLimits implements RateLimits {
  constructor(
    private readonly client: Redis | Cluster,
    private readonly keys: RedisKeys,
  ) {}

  limit(name: string, perMinute: number): RateLimit {
    if (perMinute <= 0) return noRateLimit;
    const window = rateWindow(perMinute);
    const keyPrefix = this.keys.rateLimit(name);
    return new FlexibleRateLimit(
      new RateLimiterRedis({
        storeClient: this.client,
        keyPrefix,
        ...window,
        // Straight to the insurance while the client is not connected, without trying a command.
        rejectIfRedisNotReady: true,
        // Once a key is refused, this instance refuses it from memory until its window ends: a
        // flooding client costs no further Redis round trips (its count can only go up meanwhile).
        inMemoryBlockOnConsumed: window.points + 1,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, ...window }),
      }),
    );
  }
}

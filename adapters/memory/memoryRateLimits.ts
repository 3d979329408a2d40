import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RateLimit, RateLimits } from '../../bot/ports';
import { FlexibleRateLimit, noRateLimit, rateWindow } from '../flexibleRateLimit';

/**
 * Rate limits counted in this process. RateLimiterMemory keeps a key only for its window (a timer
 * deletes it when the window ends), so memory grows with the keys seen in the last window, not
 * with every key ever seen.
 */
export class MemoryRateLimits implements RateLimits {
  limit(name: string, perMinute: number): RateLimit {
    if (perMinute <= 0) return noRateLimit;
    return new FlexibleRateLimit(new RateLimiterMemory({ keyPrefix: name, ...rateWindow(perMinute) }));
  }
}

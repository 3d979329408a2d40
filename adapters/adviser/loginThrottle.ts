import type { KeyValueStore } from '../../bot/ports';

const WINDOW_MS = 15 * 60_000;
const PER_ACCOUNT = 5;
const PER_ADDRESS = 20;

export type ThrottleCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Login failures are counted per account and per address over fifteen minutes: many addresses
 * attacking one account are slowed as surely as one address trying many accounts.
 */
export class LoginThrottle {
  constructor(private readonly store: KeyValueStore) {}

  async check(username: string, address: string): Promise<ThrottleCheck> {
    const [account, ip] = await Promise.all([this.store.get(`adviser:fail:acct:${username}`), this.store.get(`adviser:fail:ip:${address}`)]);
    if (Number(account ?? 0) >= PER_ACCOUNT || Number(ip ?? 0) >= PER_ADDRESS) return { allowed: false, retryAfterSeconds: WINDOW_MS / 1000 };
    return { allowed: true };
  }

  async fail(username: string, address: string): Promise<void> {
    await Promise.all([this.store.increment(`adviser:fail:acct:${username}`, WINDOW_MS), this.store.increment(`adviser:fail:ip:${address}`, WINDOW_MS)]);
  }

  async succeed(username: string): Promise<void> {
    await this.store.delete(`adviser:fail:acct:${username}`);
  }
}

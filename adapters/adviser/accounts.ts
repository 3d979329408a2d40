import type { KeyValueStore } from '../../bot/ports';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

/** Accounts outlive conversations; each login (and each reset at start-up) renews the year. */
const ACCOUNT_TTL_MS = 365 * 86_400_000;
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** Adviser accounts: a username and a scrypt hash, never the password. */
export class AdviserAccounts {
  constructor(private readonly store: KeyValueStore) {}

  private key(username: string): string {
    return `adviser:account:${username}`;
  }

  async upsert(username: string, password: string): Promise<void> {
    if (!USERNAME_PATTERN.test(username)) throw new Error(`AdviserAccounts.upsert(): username must be 2-63 lower-case letters, digits, dots, hyphens or underscores`);
    if (password.length < 12) throw new Error('AdviserAccounts.upsert(): password must be at least 12 characters');
    await this.store.set(this.key(username), await hashPassword(password), ACCOUNT_TTL_MS);
  }

  /** True only for the right password; does the same work whether or not the account exists. */
  async verify(username: string, password: string): Promise<boolean> {
    const stored = USERNAME_PATTERN.test(username) ? await this.store.get(this.key(username)) : undefined;
    const ok = await verifyPassword(password, stored ?? (await dummyHash()));
    if (ok && stored) await this.store.set(this.key(username), stored, ACCOUNT_TTL_MS);
    return ok && stored !== undefined;
  }
}

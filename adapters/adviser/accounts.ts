import { z } from 'zod';
import type { KeyValueStore } from '../../bot/ports';
import { DEFAULT_SCHOOL_ID } from '../../knowledge/schoolsSchema';
import { SchoolScope } from './adviserSchools';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

const Schools = z.array(z.string()).min(1);

/** Accounts outlive conversations; each login (and each reset at start-up) renews the year. */
const ACCOUNT_TTL_MS = 365 * 86_400_000;
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** Adviser accounts: a username and a scrypt hash, never the password. */
export class AdviserAccounts {
  constructor(private readonly store: KeyValueStore) {}

  private key(username: string): string {
    return `adviser:account:${username}`;
  }

  private schoolsKey(username: string): string {
    return `adviser:schools:${username}`;
  }

  /** `schools` (ids, or `*` for all) replaces the account's; left out, a reset keeps them. */
  async upsert(username: string, password: string, schools?: readonly string[]): Promise<void> {
    if (!USERNAME_PATTERN.test(username)) throw new Error(`AdviserAccounts.upsert(): username must be 2-63 lower-case letters, digits, dots, hyphens or underscores`);
    if (password.length < 12) throw new Error('AdviserAccounts.upsert(): password must be at least 12 characters');
    if (schools && schools.length === 0) throw new Error('AdviserAccounts.upsert(): schools must name at least one school (or * for all)');
    await this.store.set(this.key(username), await hashPassword(password), ACCOUNT_TTL_MS);
    const kept = schools ? undefined : await this.store.get(this.schoolsKey(username));
    await this.store.set(this.schoolsKey(username), kept ?? JSON.stringify(schools ?? [DEFAULT_SCHOOL_ID]), ACCOUNT_TTL_MS);
  }

  /**
   * The schools an adviser may see. An account saved before schools existed has none recorded
   * and gets the default school only: the narrower choice.
   */
  async schoolsOf(username: string): Promise<SchoolScope> {
    const raw = USERNAME_PATTERN.test(username) ? await this.store.get(this.schoolsKey(username)) : undefined;
    const parsed = raw ? Schools.safeParse(JSON.parse(raw)) : undefined;
    return new SchoolScope(parsed?.success ? parsed.data : [DEFAULT_SCHOOL_ID]);
  }

  /** True when there is an account of that name (a transfer's target must be one). */
  async exists(username: string): Promise<boolean> {
    return USERNAME_PATTERN.test(username) && (await this.store.get(this.key(username))) !== undefined;
  }

  /** True only for the right password; does the same work whether or not the account exists. */
  async verify(username: string, password: string): Promise<boolean> {
    const stored = USERNAME_PATTERN.test(username) ? await this.store.get(this.key(username)) : undefined;
    const ok = await verifyPassword(password, stored ?? (await dummyHash()));
    if (ok && stored) {
      await this.store.set(this.key(username), stored, ACCOUNT_TTL_MS);
      const schools = await this.store.get(this.schoolsKey(username));
      if (schools) await this.store.set(this.schoolsKey(username), schools, ACCOUNT_TTL_MS);
    }
    return ok && stored !== undefined;
  }
}

import { z } from 'zod';
import type { KeyValueStore } from '../ports';

export const PRESENCE_STATUSES = ['available', 'busy', 'away'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** What the bot asks before it tells a pupil when an adviser will see their chat. */
export interface AdviserPresence {
  /** True while at least one adviser of the school says they are available and has not gone idle. */
  anyAvailable(school: string): Promise<boolean>;
}

/** An adviser as the console's "who is online" shows them. */
export interface PresenceEntry {
  username: string;
  status: PresenceStatus;
  /** ISO-8601: since when (absent for away) */
  since?: string;
  /** the schools they work for, as they were when they last set their status (absent for away) */
  schools?: string[];
}

/** Everyone who has ever set a status, so "who is online" and the transfer list can name them; kept a year from the last newcomer. */
const ROSTER_KEY = 'adviser:presence-roster';
const ROSTER_TTL_MS = 365 * 86_400_000;
export const presenceKey = (username: string): string => `adviser:presence:${username}`;

const Stored = z.object({ status: z.enum(['available', 'busy']), since: z.string(), schools: z.array(z.string()) });

/**
 * Advisers' presence, shared by every instance through the key-value store. A status other than
 * away is kept for `awayAfterMs` and renewed each time it is set again (the console does so while
 * its adviser is active), so an adviser who goes idle or closes the console becomes away without
 * saying so. Away is the absence of a record.
 */
export class PresenceBoard implements AdviserPresence {
  constructor(
    private readonly store: KeyValueStore,
    private readonly awayAfterMs: number,
    private readonly now: () => Date,
  ) {}

  async set(username: string, status: PresenceStatus, schools: readonly string[]): Promise<PresenceEntry> {
    await this.enrol(username);
    if (status === 'away') {
      await this.store.delete(presenceKey(username));
      return { username, status };
    }
    const previous = await this.read(username);
    const since = previous?.status === status ? previous.since : this.now().toISOString();
    await this.store.set(presenceKey(username), JSON.stringify({ status, since, schools: [...schools] }), this.awayAfterMs);
    return { username, status, since, schools: [...schools] };
  }

  async get(username: string): Promise<PresenceEntry> {
    const stored = await this.read(username);
    return stored ? { username, ...stored } : { username, status: 'away' };
  }

  /** Everyone on the roster with their status, in the order they first set one. */
  async everyone(): Promise<PresenceEntry[]> {
    const names = [...new Set(await this.store.list(ROSTER_KEY))];
    return Promise.all(names.map((username) => this.get(username)));
  }

  async anyAvailable(school: string): Promise<boolean> {
    const entries = await this.everyone();
    return entries.some((entry) => entry.status === 'available' && (entry.schools?.includes('*') || entry.schools?.includes(school)));
  }

  private async read(username: string): Promise<z.infer<typeof Stored> | undefined> {
    const raw = await this.store.get(presenceKey(username));
    const parsed = raw ? Stored.safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : undefined;
  }

  /** Two first-timers at once may both append; the roster is read as a set. */
  private async enrol(username: string): Promise<void> {
    const roster = await this.store.list(ROSTER_KEY);
    if (!roster.includes(username)) await this.store.push(ROSTER_KEY, username, ROSTER_TTL_MS);
  }
}

/** For a bot without advisers (the terminal chat): nobody is ever online. */
export const NOBODY_ONLINE: AdviserPresence = { anyAvailable: async () => false };

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { KeyValueStore } from '../../bot/ports';

export interface AdviserSession {
  username: string;
  csrfToken: string;
}

const Stored = z.object({ username: z.string(), csrfToken: z.string() });

/**
 * Server-side sessions: the cookie holds a random id; the store keeps only its hash, so a
 * leaked store cannot be replayed. Each use renews the idle timeout; a login makes a new id.
 */
export class AdviserSessions {
  constructor(
    private readonly store: KeyValueStore,
    private readonly idleMs: number,
  ) {}

  private key(id: string): string {
    return `adviser:session:${createHash('sha256').update(id).digest('hex')}`;
  }

  async create(username: string): Promise<{ id: string; session: AdviserSession }> {
    const id = randomBytes(32).toString('base64url');
    const session = { username, csrfToken: randomBytes(24).toString('base64url') };
    await this.store.set(this.key(id), JSON.stringify(session), this.idleMs);
    return { id, session };
  }

  async get(id: string | undefined): Promise<AdviserSession | undefined> {
    if (!id || id.length > 100) return undefined;
    const raw = await this.store.get(this.key(id));
    if (!raw) return undefined;
    const parsed = Stored.safeParse(JSON.parse(raw));
    if (!parsed.success) return undefined;
    await this.store.set(this.key(id), raw, this.idleMs);
    return parsed.data;
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.store.delete(this.key(id));
  }
}

export function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

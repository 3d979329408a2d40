import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SeedReply } from '../../knowledge/savedRepliesSchema';
import type { KeyValueStore } from '../ports';

/** Where a saved reply belongs: every adviser's (`shared`), one school's (its id), or the content's (read-only). */
export type ReplyScope = string;
export const SHARED = 'shared';
export const FROM_CONTENT = 'content';

export interface SavedReplyInput {
  name: string;
  title: string;
  text: string;
}

export interface SavedReply extends SavedReplyInput {
  id: string;
  scope: ReplyScope;
  updatedBy?: string;
  updatedAt?: string;
}

export type SaveResult = { ok: true; reply: SavedReply } | { ok: false; reason: 'name-taken' | 'too-many' | 'not-found' | 'busy' };

/** Staff content, not pupil data: kept until changed, each save renewing it. */
const KEEP_MS = 5 * 365 * 86_400_000;
const LOCK_MS = 5_000;
const MOST_PER_SCOPE = 200;

const repliesKey = (scope: ReplyScope): string => `adviser:saved-replies:${scope}`;
const lockKey = (scope: ReplyScope): string => `adviser:saved-replies-lock:${scope}`;

const Stored = z.array(z.object({ id: z.string(), name: z.string(), title: z.string(), text: z.string(), updatedBy: z.string().optional(), updatedAt: z.string().optional() }));

/**
 * Saved replies: the content's seeds (read-only, for everyone), the shared ones and each school's,
 * as advisers keep them. A scope's replies are one record, changed under a short lock (an
 * increment that only its first caller sees as 1), so two advisers saving at once lose nothing.
 * The texts are validated at the edge (knowledge/adviserText.ts) and never logged.
 */
export class SavedReplies {
  constructor(
    private readonly store: KeyValueStore,
    private readonly seeds: readonly SeedReply[],
    private readonly now: () => Date,
  ) {}

  /** The seeds, the shared replies and those of each school given, in that order. */
  async list(schools: readonly string[]): Promise<SavedReply[]> {
    const fromContent = this.seeds.map((seed): SavedReply => ({ id: `content-${seed.name}`, scope: FROM_CONTENT, name: seed.name, title: seed.title, text: seed.text }));
    const scopes = [SHARED, ...schools];
    const kept = await Promise.all(scopes.map(async (scope) => (await this.read(scope)).map((reply): SavedReply => ({ ...reply, scope }))));
    return [...fromContent, ...kept.flat()];
  }

  create(scope: ReplyScope, input: SavedReplyInput, by: string): Promise<SaveResult> {
    return this.change(scope, (replies) => {
      if (replies.length >= MOST_PER_SCOPE) return { ok: false, reason: 'too-many' };
      if (replies.some((reply) => reply.name === input.name)) return { ok: false, reason: 'name-taken' };
      const reply = { id: randomBytes(8).toString('hex'), ...input, updatedBy: by, updatedAt: this.now().toISOString() };
      return { ok: true, replies: [...replies, reply], reply };
    });
  }

  update(scope: ReplyScope, id: string, input: SavedReplyInput, by: string): Promise<SaveResult> {
    return this.change(scope, (replies) => {
      const index = replies.findIndex((reply) => reply.id === id);
      if (index < 0) return { ok: false, reason: 'not-found' };
      if (replies.some((reply) => reply.name === input.name && reply.id !== id)) return { ok: false, reason: 'name-taken' };
      const reply = { id, ...input, updatedBy: by, updatedAt: this.now().toISOString() };
      return { ok: true, replies: replies.map((kept, at) => (at === index ? reply : kept)), reply };
    });
  }

  async remove(scope: ReplyScope, id: string): Promise<boolean> {
    const result = await this.change(scope, (replies) => {
      const reply = replies.find((kept) => kept.id === id);
      return reply ? { ok: true, replies: replies.filter((kept) => kept.id !== id), reply } : { ok: false, reason: 'not-found' };
    });
    return result.ok;
  }

  private async read(scope: ReplyScope): Promise<z.infer<typeof Stored>> {
    const raw = await this.store.get(repliesKey(scope));
    const parsed = raw ? Stored.safeParse(JSON.parse(raw)) : undefined;
    return parsed?.success ? parsed.data : [];
  }

  private async change(
    scope: ReplyScope,
    edit: (replies: z.infer<typeof Stored>) => { ok: true; replies: z.infer<typeof Stored>; reply: z.infer<typeof Stored>[number] } | { ok: false; reason: 'name-taken' | 'too-many' | 'not-found' },
  ): Promise<SaveResult> {
    if (!(await this.lock(scope))) return { ok: false, reason: 'busy' };
    try {
      const edited = edit(await this.read(scope));
      if (!edited.ok) return edited;
      await this.store.set(repliesKey(scope), JSON.stringify(edited.replies), KEEP_MS);
      return { ok: true, reply: { ...edited.reply, scope } };
    } finally {
      await this.store.delete(lockKey(scope));
    }
  }

  /** Waits up to about two seconds for the scope's lock; a holder that died frees it after LOCK_MS. */
  private async lock(scope: ReplyScope): Promise<boolean> {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      if ((await this.store.increment(lockKey(scope), LOCK_MS)) === 1) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }
}

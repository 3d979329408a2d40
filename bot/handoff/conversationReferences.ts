import { TurnContext, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { KeyValueStore } from '../ports';

const Account = z.object({ id: z.string(), name: z.string().default(''), role: z.string().optional(), aadObjectId: z.string().optional() });
const Reference = z.object({
  channelId: z.string(),
  serviceUrl: z.string().default(''),
  locale: z.string().optional(),
  conversation: z.object({
    id: z.string(),
    isGroup: z.boolean().default(false),
    conversationType: z.string().default('personal'),
    name: z.string().default(''),
    tenantId: z.string().optional(),
  }),
  user: Account.optional(),
  bot: Account.optional(),
});

/**
 * Where a conversation lives on its channel, kept when it is handed off so an adviser's message
 * can reach the pupil later (proactively) on the same channel, from any instance.
 */
export class ConversationReferences {
  constructor(
    private readonly store: KeyValueStore,
    private readonly ttlMs: number,
  ) {}

  private key(conversationId: string): string {
    return `ref:${conversationId}`;
  }

  async save(context: TurnContext): Promise<void> {
    const reference = TurnContext.getConversationReference(context.activity);
    const conversationId = reference.conversation?.id;
    if (conversationId) await this.store.set(this.key(conversationId), JSON.stringify(reference), this.ttlMs);
  }

  async remove(conversationId: string): Promise<void> {
    await this.store.delete(this.key(conversationId));
  }

  async get(conversationId: string): Promise<Partial<ConversationReference> | undefined> {
    const raw = await this.store.get(this.key(conversationId));
    if (!raw) return undefined;
    const parsed = Reference.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }
}

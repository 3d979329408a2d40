import { randomBytes } from 'node:crypto';
import { pupilIdFor } from './pupilId';
import type { Clock, ConversationMeta } from '../../bot/ports';
import type { TokenSigner } from './tokens';

/** Where conversations are kept: the shared store, or this process while the store is down. */
export interface ConversationHome {
  create(meta: ConversationMeta): Promise<void>;
  createLocal(meta: ConversationMeta): void;
}

/** The shared token key: false while the store that keeps it does not answer. */
export interface SharedKey {
  ensure(): Promise<boolean>;
}

export interface IssuedToken {
  conversationId: string;
  token: string;
  expires_in: number;
}

/**
 * Creates web chat conversations and issues the tokens that open them. While the store is down
 * (or the shared token key could not be read from it yet) a conversation is kept in this process,
 * so the pupil's page still gets a token and the safe reply.
 */
export class DirectLineConversations {
  constructor(
    private readonly log: ConversationHome,
    private readonly signer: TokenSigner,
    private readonly clock: Clock,
    private readonly key: SharedKey = { ensure: async () => true },
  ) {}

  /** `school`: the school whose web chat address opened it, kept with it for its whole life. */
  async create(school?: string): Promise<{ conversationId: string; userId: string }> {
    const conversationId = randomBytes(16).toString('base64url');
    const userId = pupilIdFor(conversationId);
    const meta = { conversationId, userId, createdAt: this.clock.now().toISOString(), started: false, ...(school ? { school } : {}) };
    // A stored conversation's token must be signed with the shared key, or other instances would refuse it.
    if (await this.key.ensure()) await this.log.create(meta);
    else this.log.createLocal(meta);
    return { conversationId, userId };
  }

  issue(conversationId: string, userId: string): IssuedToken {
    return { conversationId, token: this.signer.issue(conversationId, userId), expires_in: this.signer.expiresIn };
  }

  /** A new conversation and its token: what tokens/generate and the chat page hand out. */
  async createWithToken(school?: string): Promise<IssuedToken & { userId: string }> {
    const { conversationId, userId } = await this.create(school);
    return { ...this.issue(conversationId, userId), userId };
  }
}

import { randomBytes } from 'node:crypto';
import type { Clock, ConversationLog } from '../../bot/ports';
import type { TokenSigner } from './tokens';

export interface IssuedToken {
  conversationId: string;
  token: string;
  expires_in: number;
}

/** Creates web chat conversations and issues the tokens that open them. */
export class DirectLineConversations {
  constructor(
    private readonly log: ConversationLog,
    private readonly signer: TokenSigner,
    private readonly clock: Clock,
  ) {}

  /** `school`: the school whose web chat address opened it, kept with it for its whole life. */
  async create(school?: string): Promise<{ conversationId: string; userId: string }> {
    const conversationId = randomBytes(16).toString('base64url');
    const userId = `dl_${randomBytes(12).toString('base64url')}`;
    await this.log.create({ conversationId, userId, createdAt: this.clock.now().toISOString(), started: false, ...(school ? { school } : {}) });
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

import type { ConversationState, TurnContext } from 'botbuilder';
import { feedbackAskKey } from '../feedback/pupilFeedback';
import { adviserNotesKey, adviserOutcomeKey } from '../handoff/adviserRecords';
import type { ClosedConversations } from '../handoff/closedConversations';
import type { ConversationReferences } from '../handoff/conversationReferences';
import type { ResilientQueue } from '../handoff/resilientQueue';
import type { Logger, Stores } from '../ports';
import { turnCommitOf } from '../turnCommit';

export type ErasableStores = Pick<Stores, 'conversations' | 'transcripts' | 'queue' | 'keyValue'>;

/**
 * Deletes everything kept about one conversation when the pupil asks (UK GDPR right to erasure):
 * its state, the web chat log, the transcript, the hand-off queue item, the saved conversation
 * reference, the adviser's notes and outcome (and its place among the recently closed), a
 * feedback question still waiting for its answer, and any queue request still waiting in this process
 * to be retried. Nothing is deleted while a crisis is open; the safeguarding record comes first.
 */
export class ConversationEraser {
  constructor(
    private readonly conversationState: ConversationState,
    private readonly stores: ErasableStores,
    private readonly references: ConversationReferences,
    private readonly pending: ResilientQueue,
    private readonly logger: Logger,
    private readonly closed?: ClosedConversations,
  ) {}

  /** True when the conversation has raised the crisis flag, or its queue item has it and is not closed. */
  async crisisOpen(conversationId: string, flags: readonly string[]): Promise<boolean> {
    if (flags.includes('crisis')) return true;
    const item = await this.stores.queue.get(conversationId);
    return item?.flags.includes('crisis') ?? false;
  }

  async erase(context: TurnContext): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) throw new Error('ConversationEraser.erase(): the turn has no conversation id');
    // First, so that a failure below still leaves nothing of this turn written back (no state, no transcript line).
    turnCommitOf(context)?.forget();
    this.pending.forget(conversationId);
    // Before the closed record goes: it says which list the conversation is in.
    const unlisted = await Promise.allSettled([this.closed?.remove(conversationId)]);
    const results = await Promise.allSettled([
      ...unlisted,
      // Also drops the state cached in the turn, so saving it at the end of the turn writes nothing.
      this.conversationState.delete(context),
      // Blanked in place, not removed: the pupil's page reads the "deleted" reply from this log.
      this.stores.conversations.erase(conversationId),
      this.stores.transcripts.remove(conversationId),
      this.stores.queue.remove(conversationId),
      this.references.remove(conversationId),
      this.stores.keyValue.delete(adviserNotesKey(conversationId)),
      this.stores.keyValue.delete(adviserOutcomeKey(conversationId)),
      this.stores.keyValue.delete(feedbackAskKey(conversationId)),
    ]);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    this.logger.info("conversation data deleted at the pupil's request", { conversationId, channel: context.activity.channelId });
  }
}

import { ConversationState, type TurnContext } from 'botbuilder';
import { ETAG_MUST_NOT_EXIST } from './ports';
import { turnCommitOf } from './turnCommit';

/**
 * botbuilder's ConversationState, saving through the turn's unit of work (TurnCommit) with
 * optimistic concurrency. Loading, caching and the property accessors are botbuilder's own.
 *
 * BotState.saveChanges writes with eTag '*': the last writer wins, by design (botbuilder-js
 * issue 705, which points to the scale-out sample for optimistic concurrency). Here a pupil's
 * turns can run on two instances at once, and each turn's replies must enter the log in commit
 * order, so the state is written with the eTag it was read with (ETAG_MUST_NOT_EXIST when there
 * was none, so two first turns cannot both create it); a stale write is refused and the channel
 * runs the turn again.
 *
 * A turn that loaded the state writes it, changed or not: the write is the turn's commit point,
 * which carries its replies and transcript lines. A turn no channel of ours runs (no TurnCommit:
 * botbuilder's TestAdapter) saves as botbuilder does.
 */
export class OptimisticConversationState extends ConversationState {
  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const commit = turnCommitOf(context);
    if (!commit) return super.saveChanges(context, force);
    const state: Record<string, unknown> | undefined = this.get(context) ?? (force ? {} : undefined);
    if (!state || commit.forgotten) return;
    const key = this.getStorageKey(context);
    if (!key) throw new Error('OptimisticConversationState.saveChanges(): the turn has no conversation to key the state by');
    const read = state.eTag;
    const expected = typeof read === 'string' && read !== '*' ? read : ETAG_MUST_NOT_EXIST;
    state.eTag = await commit.saveState(key, state, expected);
  }
}

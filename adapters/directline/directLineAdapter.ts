import { createHash } from 'node:crypto';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { isEtagConflict } from '../../bot/etagConflict';
import { ADVISER_ACCOUNT, speaksAsAdviser } from '../../bot/handoff/adviserAccount';
import { PupilUnreachableError } from '../../bot/handoff/adviserActions';
import type { Clock, ConversationLog, StoredActivity, TurnCommits } from '../../bot/ports';
import { SerialQueue } from '../../bot/serialQueue';
import { crisisReplied } from '../../bot/crisis/crisisMode';
import { attachTurnCommit } from '../../bot/turnCommit';
import type { InboundActivity } from './inboundActivity';
import { randomHex } from '../randomHex';
import { plainJsonObject } from './plainJson';
import { withFields } from '../withFields';

export const DIRECTLINE_CHANNEL_ID = 'directline';
export const BOT_ACCOUNT = { id: 'careers-bot', name: 'Careers bot', role: 'bot' } as const;

type TurnLogic = (context: TurnContext) => Promise<void>;

/** The turn's replies waiting to be appended (the commit's own list, or the adapter's): this adapter's per-turn slot. */
const OUTBOX = Symbol('directline.outbox');
const MAX_TURN_ATTEMPTS = 5;

const backOff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, attempt * (5 + Math.random() * 20)));

export function newActivityId(conversationId: string): string {
  return `${conversationId}|${randomHex(6)}`;
}

/**
 * A pupil's activity gets an id made from Web Chat's clientActivityID when it has one, so the
 * same activity posted twice (a retry after a lost response, another instance) has the same id
 * and the log takes it once.
 */
export function inboundActivityId(conversationId: string, clientActivityId?: string): string {
  if (!clientActivityId) return newActivityId(conversationId);
  return `${conversationId}|c${createHash('sha256').update(clientActivityId).digest('hex').slice(0, 20)}`;
}

/** Drops undefined and functions so only plain JSON reaches the store. */
function toStored(activity: Partial<Activity>): StoredActivity {
  return plainJsonObject(activity);
}

/**
 * The web chat channel's adapter. The bot runs in-process behind it, each turn with its own unit
 * of work (TurnCommit); the turn's replies are appended to the conversation's activity log (in
 * the shared store) with the turn's state commit or, when the log cannot take them there, once
 * the turn is over, so a turn re-run after an eTag conflict never sends a reply twice.
 */
export class DirectLineAdapter extends BotAdapter {
  private readonly turns = new SerialQueue();

  constructor(
    private readonly log: ConversationLog,
    private readonly commits: TurnCommits,
    private readonly clock: Clock,
  ) {
    super();
  }

  /**
   * Records a pupil's activity in the log and runs the bot's turn for it; resolves its id. An
   * activity already in the log (same clientActivityID) is not run again: its id is resolved.
   */
  receive(conversationId: string, userId: string, inbound: InboundActivity, logic: TurnLogic): Promise<string> {
    // attachments are refused by the schema; nothing else of the client's is taken on trust
    const { attachments: _refused, from, ...fields } = inbound;
    return this.turns.run(conversationId, async () => {
      // Object.assign rather than a spread: see withFields. (The inbound schema names every field.)
      const activity: Partial<Activity> = withFields(fields, {
        id: inboundActivityId(conversationId, fields.channelData?.clientActivityID),
        channelId: DIRECTLINE_CHANNEL_ID,
        serviceUrl: 'urn:directline',
        timestamp: this.clock.now(),
        from: { id: userId, name: from?.name ?? '', role: 'user' },
        recipient: { ...BOT_ACCOUNT },
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
      });
      if (activity.type !== ActivityTypes.Typing && !(await this.log.appendIfNew(conversationId, toStored(activity)))) return activity.id ?? '';
      await this.runTurn(activity, logic);
      return activity.id ?? '';
    });
  }

  /** Tells the bot the pupil joined, once per conversation however many instances ask. */
  async start(conversationId: string, userId: string, logic: TurnLogic): Promise<void> {
    if (!(await this.log.markStarted(conversationId))) return;
    await this.turns.run(conversationId, () =>
      this.runTurn(
        {
          type: ActivityTypes.ConversationUpdate,
          id: newActivityId(conversationId),
          channelId: DIRECTLINE_CHANNEL_ID,
          serviceUrl: 'urn:directline',
          timestamp: this.clock.now(),
          from: { id: userId, name: '', role: 'user' },
          recipient: { ...BOT_ACCOUNT },
          conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
          membersAdded: [{ id: userId, name: '', role: 'user' }],
        },
        logic,
      ),
    );
  }

  override async continueConversation(reference: Partial<ConversationReference>, logic: TurnLogic): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (!conversationId) throw new Error('DirectLineAdapter.continueConversation(): reference.conversation.id is missing');
    // A conversation the log does not know (kept by another instance since an outage, or past its
    // retention period) would get a log nobody reads: refuse rather than report it delivered.
    if (!(await this.log.getMeta(conversationId))) throw new PupilUnreachableError(conversationId);
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.turns.run(conversationId, () => this.runTurn(activity, logic));
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const conversationId = context.activity.conversation?.id;
    if (!conversationId) throw new Error('DirectLineAdapter.sendActivities(): the turn has no conversation id');
    const outbox = context.turnState.get<StoredActivity[] | undefined>(OUTBOX);
    const responses: ResourceResponse[] = [];
    const direct: StoredActivity[] = [];
    for (const activity of activities) {
      // Trace activities carry the bot's whole state (pupil's words included): they are for the
      // Emulator only, as in botbuilder's own channel adapters, and never reach the pupil or the log.
      if (activity.type === 'delay' || activity.type === ActivityTypes.InvokeResponse || activity.type === ActivityTypes.Trace) {
        responses.push({ id: '' });
        continue;
      }
      const outgoing: Partial<Activity> = withFields(activity, {
        id: newActivityId(conversationId),
        channelId: DIRECTLINE_CHANNEL_ID,
        timestamp: this.clock.now(),
        from: speaksAsAdviser(context) ? { ...ADVISER_ACCOUNT } : { ...BOT_ACCOUNT },
        recipient: activity.recipient ?? context.activity.from,
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
        serviceUrl: undefined,
      });
      (outbox ?? direct).push(toStored(outgoing));
      responses.push({ id: outgoing.id ?? '' });
    }
    if (direct.length > 0) await this.log.append(conversationId, direct);
    return responses;
  }

  /** Resolves when every turn queued or running in this process has finished (for a clean shutdown). */
  drain(): Promise<void> {
    return this.turns.idle();
  }

  override updateActivity(): Promise<void> {
    return Promise.reject(new Error('DirectLineAdapter.updateActivity(): the web chat channel does not support editing messages'));
  }

  override deleteActivity(): Promise<void> {
    return Promise.reject(new Error('DirectLineAdapter.deleteActivity(): the web chat channel does not support deleting messages'));
  }

  /**
   * Runs the middleware and bot logic with a fresh unit of work, again when its state write is
   * refused for an eTag conflict with another instance, then appends the replies the commit did
   * not take.
   */
  private async runTurn(activity: Partial<Activity>, logic: TurnLogic): Promise<void> {
    const conversationId = activity.conversation?.id ?? '';
    for (let attempt = 1; ; attempt += 1) {
      const commit = this.commits.open(conversationId);
      // The replies wait in the commit when the log may take them with the state; else here.
      const outbox = this.log.appendsWithState?.(conversationId) ? commit.replies : [];
      try {
        const context = new TurnContext(this, activity);
        attachTurnCommit(context, commit);
        context.turnState.set(OUTBOX, outbox);
        await this.runMiddleware(context, async (turn) => {
          try {
            await logic(turn);
          } catch (error) {
            // A turn that failed saved no state: what it said so far is withdrawn (the pupil gets
            // the error reply alone), except a crisis reply, which always goes out.
            if (!isEtagConflict(error) && !crisisReplied(turn)) outbox.length = 0;
            throw error;
          }
        });
      } catch (error) {
        if (isEtagConflict(error) && attempt < MAX_TURN_ATTEMPTS) {
          await backOff(attempt);
          continue;
        }
        throw error;
      }
      if (outbox.length > 0) await this.log.append(conversationId, outbox);
      return;
    }
  }
}

import { BotStatePropertyAccessor, ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  carriedJson,
  carryJson,
  carryReplies,
  carryTranscript,
  dropMark,
  ETAG_MUST_NOT_EXIST,
  HELD_REPLIES,
  HELD_TRANSCRIPT,
  READ_JSON,
  WITH_REPLIES,
  WITH_TRANSCRIPT,
  WRITE_JSON,
  type HeldReplies,
  type HeldTranscript,
  type WithWrite,
} from './ports';

const CACHED = Symbol('guardedConversationState.cached');
const CARRIED_ETAG = Symbol('guardedConversationState.eTag');

interface Cached {
  state: Record<string, unknown>;
  /** the state's JSON (without its eTag) when it was loaded or last written; '' forces a write */
  json: string;
}

/** What a held list (the channel's outbox, the recorder's lines) hands to the write: a copy of what it holds, if anything. */
function withWrite<T>(conversationId: string | undefined, held: T[] | undefined): WithWrite<T> | undefined {
  return conversationId !== undefined && held && held.length > 0 ? { conversationId, items: [...held], committed: false } : undefined;
}

/** Takes what the store appended with the write out of the held list, so it is not appended again. */
function takeCommitted<T>(held: T[] | undefined, written: WithWrite<T> | undefined): void {
  if (held && written?.committed) held.splice(0, written.items.length);
}

function jsonOf(state: Record<string, unknown>): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

/**
 * botbuilder's BotStatePropertyAccessor, the same in every respect, as native async functions
 * that take the turn's loaded state straight from the turn when it is there. botbuilder's are
 * compiled to generators and always wait for `load`; the bot reads its conversation data a dozen
 * times a turn.
 */
class GuardedPropertyAccessor<T> extends BotStatePropertyAccessor<T> {
  constructor(private readonly guarded: GuardedConversationState, name: string) {
    super(guarded, name);
  }

  private async loaded(context: TurnContext): Promise<Record<string, unknown>> {
    return this.guarded.get(context) ?? (await this.guarded.load(context));
  }

  override async get(context: TurnContext, defaultValue?: T): Promise<T> {
    const state = await this.loaded(context);
    if (!Object.prototype.hasOwnProperty.call(state, this.name) && defaultValue !== undefined) {
      // a copy, as botbuilder makes: the caller's default object never becomes the state's
      state[this.name] = typeof defaultValue === 'object' ? JSON.parse(JSON.stringify(defaultValue)) : defaultValue;
    }
    return state[this.name] as T;
  }

  override async set(context: TurnContext, value: T): Promise<void> {
    (await this.loaded(context))[this.name] = value;
  }

  override async delete(context: TurnContext): Promise<void> {
    const state = await this.loaded(context);
    if (Object.prototype.hasOwnProperty.call(state, this.name)) delete state[this.name];
  }
}

/**
 * botbuilder's ConversationState as the careers bot uses it, with four changes:
 *
 * - **Real eTag concurrency.** BotState.saveChanges writes with eTag '*', which would let two
 *   turns of one conversation (on two instances) silently overwrite each other. This writes with
 *   the eTag the turn read (or "must not exist" when the turn found no state), so a write based
 *   on stale state is refused (EtagConflictError) and the turn can be run again; a second save in
 *   the same turn carries the eTag of the first. It is kept in the turn's own state rather than
 *   in an AsyncLocalStorage scope, whose promise hooks would cost every promise of the turn.
 * - **A cheaper "did this turn change the state?".** BotState hashes the whole state (stdlib
 *   stringify and SHA-256) on load, on save and again after writing; this compares the state's
 *   JSON text from the load with its JSON at save time.
 *
 * - **Replies with the commit.** The replies the web chat channel holds for this turn go to the
 *   store with the write (see HELD_REPLIES in ./ports), so a store that can appends them in the
 *   same step and the log's order follows the commits; the transcript recorder's lines likewise
 *   (HELD_TRANSCRIPT).
 *
 * - **Cheaper property accessors** (GuardedPropertyAccessor above).
 *
 * Same keys, same stored values, writes at the same moments.
 */
export class GuardedConversationState extends ConversationState {
  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const cached: Cached | undefined = context.turnState.get(CACHED);
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state: Record<string, unknown> = items[key] ?? {};
    // The first read of the turn is what its writes are checked against.
    if (!context.turnState.has(CARRIED_ETAG)) context.turnState.set(CARRIED_ETAG, typeof state.eTag === 'string' ? state.eTag : ETAG_MUST_NOT_EXIST);
    // The text the store read, when it gives it, is this state's JSON: no need to make it again.
    context.turnState.set(CACHED, { state, json: carriedJson(state, READ_JSON) ?? jsonOf(state) } satisfies Cached);
    // Only for that: the state changes during the turn, so the text must not stay on it.
    dropMark(state, READ_JSON);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    let cached: Cached | undefined = context.turnState.get(CACHED);
    const json = cached ? jsonOf(cached.state) : undefined;
    if (!force && (!cached || cached.json === json)) return;
    const key = await this.storageKey(context);
    cached ??= { state: {}, json: '' };
    const carried: unknown = context.turnState.get(CARRIED_ETAG);
    cached.state.eTag = typeof carried === 'string' ? carried : '*';
    // The text just made, for the store to keep as it is (taken off again straight after).
    if (json !== undefined) carryJson(cached.state, WRITE_JSON, json);
    // The replies the channel holds, for a store that can append them in the same step (HELD_REPLIES).
    const held: HeldReplies | undefined = context.turnState.get(HELD_REPLIES);
    const replies = withWrite(held?.conversationId, held?.outbox);
    if (replies) carryReplies(cached.state, replies);
    // Likewise the transcript recorder's lines (HELD_TRANSCRIPT).
    const lines: HeldTranscript | undefined = context.turnState.get(HELD_TRANSCRIPT);
    const transcript = withWrite(lines?.conversationId, lines?.entries);
    if (transcript) carryTranscript(cached.state, transcript);
    try {
      await this.storage.write({ [key]: cached.state });
    } finally {
      dropMark(cached.state, WRITE_JSON);
      dropMark(cached.state, WITH_REPLIES);
      dropMark(cached.state, WITH_TRANSCRIPT);
    }
    // In the log and the transcript now, with the commit: they must not be appended again.
    takeCommitted(held?.outbox, replies);
    takeCommitted(lines?.entries, transcript);
    // Our stores report the new eTag on the written item: a second save checks against our own write.
    const written = cached.state.eTag;
    if (typeof written === 'string' && written !== ETAG_MUST_NOT_EXIST && written !== '*') context.turnState.set(CARRIED_ETAG, written);
    // What was written, so a second save in the turn writes again only if something changed since.
    cached.json = json ?? jsonOf(cached.state);
    context.turnState.set(CACHED, cached);
  }

  override async clear(context: TurnContext): Promise<void> {
    // An empty text never matches, so the cleared state is saved.
    context.turnState.set(CACHED, { state: {}, json: '' } satisfies Cached);
  }

  override async delete(context: TurnContext): Promise<void> {
    context.turnState.delete(CACHED);
    const key = await this.storageKey(context);
    await this.storage.delete([key]);
    context.turnState.set(CARRIED_ETAG, ETAG_MUST_NOT_EXIST);
  }

  override createProperty<T = unknown>(name: string): StatePropertyAccessor<T> {
    return new GuardedPropertyAccessor<T>(this, name);
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    const cached: Cached | undefined = context.turnState.get(CACHED);
    return typeof cached === 'object' && typeof cached.state === 'object' ? cached.state : undefined;
  }
}

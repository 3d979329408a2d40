import { ConversationState, type TurnContext } from 'botbuilder';

const CACHED = Symbol('jsonTrackedConversationState.cached');

interface Cached {
  state: Record<string, unknown>;
  /** the state's JSON (without its eTag) when it was loaded or last written; '' forces a write */
  json: string;
}

function jsonOf(state: Record<string, unknown>): string {
  const { eTag: _eTag, ...rest } = state;
  return JSON.stringify(rest);
}

/**
 * botbuilder's ConversationState with a cheaper test for "did this turn change the state?".
 * BotState hashes the whole state (botbuilder-stdlib's replacer-driven stringify, then SHA-256)
 * when it loads, again when it saves and a third time after writing. This keeps the state's JSON
 * text from the load and compares it with the JSON at save time: one native JSON.stringify each,
 * and nothing after the write. What is saved, when, and under which key is unchanged (the state
 * is plain JSON data, as its store requires).
 */
export class JsonTrackedConversationState extends ConversationState {
  override async load(context: TurnContext, force = false): Promise<Record<string, unknown>> {
    const cached: Cached | undefined = context.turnState.get(CACHED);
    if (!force && cached?.state) return cached.state;
    const key = await this.storageKey(context);
    const items = await this.storage.read([key]);
    const state: Record<string, unknown> = items[key] ?? {};
    context.turnState.set(CACHED, { state, json: jsonOf(state) } satisfies Cached);
    return state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    let cached: Cached | undefined = context.turnState.get(CACHED);
    const json = cached ? jsonOf(cached.state) : undefined;
    if (!force && (!cached || cached.json === json)) return;
    const key = await this.storageKey(context);
    cached ??= { state: {}, json: '' };
    cached.state.eTag = '*';
    await this.storage.write({ [key]: cached.state });
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
  }

  override get(context: TurnContext): Record<string, unknown> | undefined {
    const cached: Cached | undefined = context.turnState.get(CACHED);
    return typeof cached === 'object' && typeof cached.state === 'object' ? cached.state : undefined;
  }
}

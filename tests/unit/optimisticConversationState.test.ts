import { BotStatePropertyAccessor, TestAdapter, TurnContext } from 'botbuilder';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { isEtagConflict } from '../../bot/etagConflict';
import { OptimisticConversationState } from '../../bot/optimisticConversationState';
import type { Stores } from '../../bot/ports';
import { attachTurnCommit } from '../../bot/turnCommit';

const KEY = 'test/conversations/convo/';

function turnContext(): TurnContext {
  return new TurnContext(new TestAdapter(), { type: 'message', text: 'hi', channelId: 'test', conversation: { id: 'convo', isGroup: false, conversationType: 'personal', name: '' } });
}

/** A turn as a channel of ours runs it: with its own unit of work. */
function turn(stores: Stores): TurnContext {
  const context = turnContext();
  attachTurnCommit(context, stores.commits.open('convo'));
  return context;
}

async function stored(stores: Stores): Promise<Record<string, unknown> | undefined> {
  return (await stores.state.read([KEY]))[KEY];
}

describe('OptimisticConversationState', () => {
  it("is botbuilder's ConversationState with botbuilder's own property accessors", () => {
    const state = new OptimisticConversationState(createMemoryStores({ retentionDays: 1 }).state);
    expect(state.createProperty('count')).toBeInstanceOf(BotStatePropertyAccessor);
  });

  it('saves under the ConversationState key through the turn commit, and a later turn reads it', async () => {
    const stores = createMemoryStores({ retentionDays: 1 });
    const state = new OptimisticConversationState(stores.state);
    const count = state.createProperty<number>('count');
    const first = turn(stores);
    await count.set(first, 1);
    await state.saveChanges(first);
    expect(await stored(stores)).toEqual({ count: 1, eTag: expect.any(String) });
    const second = turn(stores);
    expect(await count.get(second)).toBe(1);
  });

  it('refuses a turn whose state another turn has written since it read it', async () => {
    const stores = createMemoryStores({ retentionDays: 1 });
    const state = new OptimisticConversationState(stores.state);
    const count = state.createProperty<number>('count');
    const setup = turn(stores);
    await count.set(setup, 0);
    await state.saveChanges(setup);

    const slow = turn(stores);
    const fast = turn(stores);
    await count.set(slow, (await count.get(slow, 0)) + 1);
    await count.set(fast, (await count.get(fast, 0)) + 1);
    await state.saveChanges(fast);
    expect(isEtagConflict(await state.saveChanges(slow).catch((caught: unknown) => caught))).toBe(true);
    expect((await stored(stores))?.count).toBe(1);
  });

  it('refuses the second of two first turns that both found no state', async () => {
    const stores = createMemoryStores({ retentionDays: 1 });
    const state = new OptimisticConversationState(stores.state);
    const count = state.createProperty<number>('count');
    const [a, b] = [turn(stores), turn(stores)];
    await count.set(a, 1);
    await count.set(b, 2);
    await state.saveChanges(a);
    expect(isEtagConflict(await state.saveChanges(b).catch((caught: unknown) => caught))).toBe(true);
    expect((await stored(stores))?.count).toBe(1);
  });

  it('lets one turn save twice, the second against its own first write', async () => {
    const stores = createMemoryStores({ retentionDays: 1 });
    const state = new OptimisticConversationState(stores.state);
    const count = state.createProperty<number>('count');
    const one = turn(stores);
    await count.set(one, 1);
    await state.saveChanges(one);
    await count.set(one, 2);
    await state.saveChanges(one);
    expect((await stored(stores))?.count).toBe(2);
  });

  it('writes nothing in a turn that deleted the state, nor once the commit has forgotten the conversation', async () => {
    const stores = createMemoryStores({ retentionDays: 1 });
    const state = new OptimisticConversationState(stores.state);
    const count = state.createProperty<number>('count');
    const setup = turn(stores);
    await count.set(setup, 1);
    await state.saveChanges(setup);

    const deleting = turn(stores);
    await count.get(deleting);
    await state.delete(deleting);
    await state.saveChanges(deleting);
    expect(await stored(stores)).toBeUndefined();

    const forgetting = turnContext();
    const commit = stores.commits.open('convo');
    attachTurnCommit(forgetting, commit);
    await count.set(forgetting, 5);
    commit.forget();
    await state.saveChanges(forgetting);
    expect(await stored(stores)).toBeUndefined();
  });

  it('saves as botbuilder does (the last writer wins) in a turn with no commit', async () => {
    const stores = createMemoryStores({ retentionDays: 1 });
    const state = new OptimisticConversationState(stores.state);
    const count = state.createProperty<number>('count');
    const [a, b] = [turnContext(), turnContext()];
    await count.set(a, 1);
    await count.set(b, 2);
    await state.saveChanges(a);
    await state.saveChanges(b);
    expect((await stored(stores))?.count).toBe(2);
  });
});

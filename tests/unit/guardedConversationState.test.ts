import { ConversationState, TestAdapter, TurnContext, type Storage, type StoreItems } from 'botbuilder';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { isEtagConflict } from '../../bot/etagConflict';
import { GuardedConversationState } from '../../bot/guardedConversationState';
import { ETAG_MUST_NOT_EXIST } from '../../bot/ports';

/** The in-process state store, remembering what each write carried. */
function watchedStorage(): Storage & { writes: StoreItems[] } {
  const inner = createMemoryStores({ retentionDays: 1 }).state;
  const writes: StoreItems[] = [];
  return {
    writes,
    read: (keys) => inner.read(keys),
    delete: (keys) => inner.delete(keys),
    write: async (changes) => {
      writes.push(JSON.parse(JSON.stringify(changes)));
      await inner.write(changes);
    },
  };
}

const KEY = 'test/conversations/convo/';

function turn(): TurnContext {
  return new TurnContext(new TestAdapter(), { type: 'message', text: 'hi', channelId: 'test', conversation: { id: 'convo', isGroup: false, conversationType: 'personal', name: '' } });
}

// What is saved and when: the same as botbuilder's own ConversationState.
describe.each([GuardedConversationState, ConversationState])('%p saves', (StateClass) => {
  it('a turn that changed the state, under the ConversationState key, and not one that did not', async () => {
    const storage = watchedStorage();
    const state = new StateClass(storage);
    const data = state.createProperty<{ count: number; nested: { list: string[] } }>('data');

    const first = turn();
    await data.get(first, { count: 0, nested: { list: [] } });
    await state.saveChanges(first);
    expect(storage.writes.map((write) => Object.keys(write))).toEqual([[KEY]]);

    const unchanged = turn();
    await data.get(unchanged);
    await state.saveChanges(unchanged);
    expect(storage.writes).toHaveLength(1);

    const deep = turn();
    (await data.get(deep))?.nested.list.push('x');
    await state.saveChanges(deep);
    expect(storage.writes).toHaveLength(2);
    expect((await storage.read([KEY]))[KEY].data).toEqual({ count: 0, nested: { list: ['x'] } });

    // a second save in the same turn writes only what changed since the first
    await state.saveChanges(deep);
    expect(storage.writes).toHaveLength(2);
    const changed = await data.get(deep);
    if (changed) changed.count = 1;
    await state.saveChanges(deep);
    expect(storage.writes).toHaveLength(3);
    expect((await storage.read([KEY]))[KEY].data.count).toBe(1);
  });

  it('ignoring the eTag when telling whether anything changed', async () => {
    const storage = watchedStorage();
    const state = new StateClass(storage);
    const data = state.createProperty<number>('count');
    const first = turn();
    await data.set(first, 1);
    await state.saveChanges(first);

    const next = turn();
    expect(await data.get(next)).toBe(1);
    expect(state.get(next)?.eTag).toEqual(expect.any(String));
    await state.saveChanges(next);
    expect(storage.writes).toHaveLength(1);
  });

  it('when forced, even unloaded state; cleared state as empty; and delete removes it', async () => {
    const storage = watchedStorage();
    const state = new StateClass(storage);
    const data = state.createProperty<number>('count');

    const unloaded = turn();
    await state.saveChanges(unloaded, true);
    expect(storage.writes).toHaveLength(1);
    expect(Object.keys(storage.writes[0][KEY])).toEqual(['eTag']);

    const setting = turn();
    await data.set(setting, 5);
    await state.saveChanges(setting);
    const clearing = turn();
    expect(await data.get(clearing)).toBe(5);
    await state.clear(clearing);
    expect(state.get(clearing)).toEqual({});
    await state.saveChanges(clearing);
    expect((await storage.read([KEY]))[KEY].count).toBeUndefined();

    const deleting = turn();
    await data.set(deleting, 7);
    await state.delete(deleting);
    expect(state.get(deleting)).toBeUndefined();
    expect(await storage.read([KEY])).toEqual({});
    expect(await data.get(deleting)).toBeUndefined();
  });
});

// Its property accessors behave as botbuilder's BotStatePropertyAccessor.
describe.each([GuardedConversationState, ConversationState])('%p property accessors', (StateClass) => {
  it('give a copy of the default, kept in the state, and never the caller\'s object', async () => {
    const state = new StateClass(watchedStorage());
    const list = state.createProperty<string[]>('list');
    const context = turn();
    const fallback = ['a'];
    const got = await list.get(context, fallback);
    expect(got).toEqual(['a']);
    expect(got).not.toBe(fallback);
    got.push('b');
    expect(await list.get(context, ['ignored'])).toEqual(['a', 'b']);
    expect(state.get(context)?.list).toBe(got);
    expect(fallback).toEqual(['a']);
  });

  it('give undefined without a default and store nothing for it; keep primitives, null and falsy values as they are', async () => {
    const state = new StateClass(watchedStorage());
    const context = turn();
    const missing = state.createProperty<number>('missing');
    expect(await missing.get(context)).toBeUndefined();
    expect(state.get(context)).not.toHaveProperty('missing');
    expect(await state.createProperty<number>('zero').get(context, 0)).toBe(0);
    expect(await state.createProperty<null>('nothing').get(context, null)).toBeNull();
    const flag = state.createProperty<boolean>('flag');
    await flag.set(context, false);
    expect(await flag.get(context, true)).toBe(false);
  });

  it('set and delete the property in the turn\'s state, loading it first when needed, and save as usual', async () => {
    const storage = watchedStorage();
    const state = new StateClass(storage);
    const count = state.createProperty<number>('count');
    const first = turn();
    await count.set(first, 3); // nothing loaded yet in this turn
    await state.saveChanges(first);
    const second = turn();
    await count.delete(second); // loads, then deletes
    expect(state.get(second)).not.toHaveProperty('count');
    await count.delete(second); // absent: nothing happens
    await state.saveChanges(second);
    expect((await storage.read([KEY]))[KEY].count).toBeUndefined();
    expect(storage.writes).toHaveLength(2);
  });
});

// What botbuilder's ConversationState does not do: writes checked against the eTag the turn read.
describe('GuardedConversationState eTags', () => {
  it('writes with the eTag the turn read, so a stale turn is refused', async () => {
    const storage = watchedStorage();
    const state = new GuardedConversationState(storage);
    const count = state.createProperty<number>('count');
    const setup = turn();
    await count.set(setup, 0);
    await state.saveChanges(setup);

    const slow = turn();
    const fast = turn();
    await count.set(slow, (await count.get(slow, 0)) + 1);
    await count.set(fast, (await count.get(fast, 0)) + 1);
    await state.saveChanges(fast);
    const error = await state.saveChanges(slow).catch((caught: unknown) => caught);
    expect(isEtagConflict(error)).toBe(true);
    expect((await storage.read([KEY]))[KEY].count).toBe(1);
  });

  it('refuses a second creator of state both turns found absent', async () => {
    const storage = watchedStorage();
    const state = new GuardedConversationState(storage);
    const count = state.createProperty<number>('count');
    const [a, b] = [turn(), turn()];
    await count.get(a, 0);
    await count.get(b, 0);
    await state.saveChanges(a);
    expect(storage.writes[0][KEY].eTag).toBe(ETAG_MUST_NOT_EXIST);
    expect(isEtagConflict(await state.saveChanges(b).catch((caught: unknown) => caught))).toBe(true);
  });

  it('lets one turn save twice, and a turn that deleted the state create it afresh', async () => {
    const storage = watchedStorage();
    const state = new GuardedConversationState(storage);
    const count = state.createProperty<number>('count');
    const one = turn();
    await count.set(one, 1);
    await state.saveChanges(one);
    await count.set(one, 2);
    await state.saveChanges(one);
    expect((await storage.read([KEY]))[KEY].count).toBe(2);

    await state.delete(one);
    await count.set(one, 3);
    await state.saveChanges(one);
    expect(storage.writes.at(-1)?.[KEY].eTag).toBe(ETAG_MUST_NOT_EXIST);
    expect((await storage.read([KEY]))[KEY].count).toBe(3);
  });
});

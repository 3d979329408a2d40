import { ConversationState, MemoryStorage, TestAdapter, TurnContext, type StoreItems } from 'botbuilder';
import { JsonTrackedConversationState } from '../../bot/jsonTrackedConversationState';

/** MemoryStorage that remembers what each write carried. */
class WatchedStorage extends MemoryStorage {
  readonly writes: StoreItems[] = [];
  override async write(changes: StoreItems): Promise<void> {
    this.writes.push(JSON.parse(JSON.stringify(changes)));
    await super.write(changes);
  }
}

const KEY = 'test/conversations/convo/';

function turn(): TurnContext {
  return new TurnContext(new TestAdapter(), { type: 'message', text: 'hi', channelId: 'test', conversation: { id: 'convo', isGroup: false, conversationType: 'personal', name: '' } });
}

// The same expectations hold for botbuilder's own ConversationState: the subclass changes only the cost.
describe.each([JsonTrackedConversationState, ConversationState])('%p', (StateClass) => {
  it('saves a turn that changed the state, under ConversationState key, and not one that did not', async () => {
    const storage = new WatchedStorage();
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
  });

  it('writes with eTag "*" and ignores the eTag when telling whether anything changed', async () => {
    const storage = new WatchedStorage();
    const state = new StateClass(storage);
    const data = state.createProperty<number>('count');
    const first = turn();
    await data.set(first, 1);
    await state.saveChanges(first);
    expect(storage.writes[0][KEY].eTag).toBe('*');

    const next = turn();
    expect(await data.get(next)).toBe(1);
    expect(state.get(next)?.eTag).toEqual(expect.any(String));
    await state.saveChanges(next);
    expect(storage.writes).toHaveLength(1);
  });

  it('force saves even unchanged or unloaded state; clear saves empty state; delete removes it', async () => {
    const storage = new WatchedStorage();
    const state = new StateClass(storage);
    const data = state.createProperty<number>('count');

    const unloaded = turn();
    await state.saveChanges(unloaded, true);
    expect(storage.writes).toHaveLength(1);
    expect(storage.writes[0][KEY]).toEqual({ eTag: '*' });

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

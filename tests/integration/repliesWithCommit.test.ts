import { randomBytes } from 'node:crypto';
import { TestAdapter, TurnContext } from 'botbuilder';
import { createMemoryStores } from '../../adapters/memory/memoryStores';
import { DirectLineAdapter } from '../../adapters/directline/directLineAdapter';
import { FallbackConversationLog } from '../../adapters/fallbackConversationLog';
import { createRedisStores } from '../../adapters/redis/redisStores';
import { systemClock } from '../../bot/clock';
import { isEtagConflict } from '../../bot/etagConflict';
import { OptimisticConversationState } from '../../bot/optimisticConversationState';
import type { ConversationLog, Logger, Stores, TranscriptEntry, TranscriptStore } from '../../bot/ports';
import { TranscriptRecorder } from '../../bot/transcriptRecorder';
import { attachTurnCommit } from '../../bot/turnCommit';
import { startRedisServer, type RedisServer } from '../support/redisServer';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const conversationId = () => `conv${randomBytes(6).toString('hex')}`;
const meta = (id: string) => ({ conversationId: id, userId: 'dl_pupil', createdAt: '2026-11-23T10:00:00.000Z', started: true });

/** What one instance of the web chat channel runs: its own log, adapter and bot state, on shared stores. */
function instance(stores: Stores) {
  const log = new FallbackConversationLog(stores.conversations, quiet);
  const state = new OptimisticConversationState(stores.state);
  const count = state.createProperty<number>('count');
  /**
   * Counts the conversation's turns in its state, replies with the count and saves; then, when
   * given `slow`, waits for it: an instance busy after its commit, before the turn is over.
   */
  const logic = (slow?: { reached: () => void; until: Promise<void> }) => async (context: TurnContext) => {
    const n = (await count.get(context, 0)) + 1;
    await count.set(context, n);
    await context.sendActivity(`reply to turn ${n}`);
    await state.saveChanges(context);
    if (slow) {
      slow.reached();
      await slow.until;
    }
  };
  return { log, adapter: new DirectLineAdapter(log, stores.commits, systemClock), logic };
}

const message = (text: string, clientActivityID: string) => ({ type: 'message' as const, text, channelData: { clientActivityID } });

/** The texts in the conversation's log, in order. */
async function texts(log: ConversationLog, id: string): Promise<string[]> {
  const { activities } = await log.read(id, 0);
  return activities.map((activity) => String(activity.text));
}

// One redis-server of the test run's own for the whole file.
let redis: RedisServer;
let stores: Stores;

beforeAll(async () => {
  redis = await startRedisServer();
  stores = createRedisStores({ url: redis.url, keyPrefix: 'rwc:', retentionDays: 1 });
});
afterAll(async () => {
  await stores?.close();
  await redis?.destroy();
});

describe("a web chat turn's replies go into the log with its state commit", () => {
  it('so a turn slow after its commit keeps its place in the log ahead of the next turn, on another instance', async () => {
    const a = instance(stores);
    const b = instance(stores);
    const id = conversationId();
    await a.log.create(meta(id));

    let reached: () => void = () => undefined;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    let open: () => void = () => undefined;
    const until = new Promise<void>((resolve) => (open = resolve));
    const first = a.adapter.receive(id, 'dl_pupil', message('one', 'c1'), a.logic({ reached, until }));
    await atGate; // instance A has committed turn 1 and is still busy with it
    await b.adapter.receive(id, 'dl_pupil', message('two', 'c2'), b.logic());
    open();
    await first;

    // Appended after the turn, A's reply would come after B's: one, two, reply 2, reply 1.
    expect(await texts(a.log, id)).toEqual(['one', 'reply to turn 1', 'two', 'reply to turn 2']);
  });

  it('and a write refused for its eTag appends none of them', async () => {
    const id = conversationId();
    const key = `directline/conversations/${id}/`;
    await stores.conversations.create(meta(id));
    const state = new OptimisticConversationState(stores.state);
    const turn = () => {
      const context = new TurnContext(new TestAdapter(), { type: 'message', channelId: 'directline', conversation: { id, isGroup: false, conversationType: 'personal', name: '' } });
      const commit = stores.commits.open(id);
      commit.replies.push({ type: 'message', id: `${id}|r${randomBytes(3).toString('hex')}`, text: 'held reply' });
      attachTurnCommit(context, commit);
      return { context, commit };
    };
    const count = state.createProperty<number>('count');

    const stale = turn();
    await count.get(stale.context, 0);
    // another instance commits first
    await stores.state.write({ [key]: { count: 5 } });
    await count.set(stale.context, 1);
    const refused = await state.saveChanges(stale.context).catch((error: unknown) => error);
    expect(isEtagConflict(refused)).toBe(true);
    expect(stale.commit.replies).toHaveLength(1); // still the channel's to deal with
    expect(await texts(stores.conversations, id)).toEqual([]);

    const fresh = turn();
    await count.set(fresh.context, (await count.get(fresh.context, 0)) + 1);
    await state.saveChanges(fresh.context);
    expect(fresh.commit.replies).toHaveLength(0); // committed with the write: the channel must not append it again
    expect(await texts(stores.conversations, id)).toEqual(['held reply']);
    expect((await stores.state.read([key]))[key].count).toBe(6);
  });

  it('but not while activities of the conversation wait in this process for the store, nor for one kept here', async () => {
    const id = conversationId();
    await stores.conversations.create(meta(id));
    let down = false;
    const flaky: ConversationLog = {
      ...stores.conversations,
      append: (conversation, activities) => (down ? Promise.reject(new Error('Connection is closed.')) : stores.conversations.append(conversation, activities)),
      appendsWithState: (conversation) => stores.conversations.appendsWithState?.(conversation) ?? false,
    };
    const log = new FallbackConversationLog(flaky, quiet);
    try {
      expect(log.appendsWithState(id)).toBe(true);
      down = true;
      await log.append(id, [{ type: 'message', id: `${id}|held`, text: 'held' }]);
      expect(log.heldActivities).toBe(1);
      expect(log.appendsWithState(id)).toBe(false);
      down = false;
      await log.flushAll();
      expect(log.appendsWithState(id)).toBe(true);

      const local = conversationId();
      log.createLocal(meta(local));
      expect(log.appendsWithState(local)).toBe(false);
    } finally {
      log.close();
    }
  });

  it('and without a store that can, the channel appends them after the turn as before', async () => {
    const memory = createMemoryStores({ retentionDays: 1 });
    const a = instance(memory);
    const id = conversationId();
    await a.log.create(meta(id));
    expect(a.log.appendsWithState(id)).toBe(false);
    await a.adapter.receive(id, 'dl_pupil', message('one', 'c1'), a.logic());
    await a.adapter.receive(id, 'dl_pupil', message('two', 'c2'), a.logic());
    expect(await texts(a.log, id)).toEqual(['one', 'reply to turn 1', 'two', 'reply to turn 2']);
  });
});

/** The transcript store, watched: what each append after a turn was given (the real store does the work). */
function watched(transcripts: TranscriptStore): { store: TranscriptStore; appended: TranscriptEntry[][] } {
  const appended: TranscriptEntry[][] = [];
  const store: TranscriptStore = {
    append: (id, entries) => {
      appended.push([...entries]);
      return transcripts.append(id, entries);
    },
    read: (id) => transcripts.read(id),
    remove: (id) => transcripts.remove(id),
  };
  return { store, appended };
}

/** A web chat instance with the transcript recorder, as the server wires them. */
function recordingInstance(stores: Stores, transcripts: TranscriptStore) {
  const { log, adapter, logic } = instance(stores);
  adapter.use(new TranscriptRecorder(transcripts, systemClock, quiet));
  return { log, adapter, logic };
}

const said = (entries: TranscriptEntry[]) => entries.map((entry) => `${entry.from}: ${entry.text}`);

describe("a turn's transcript lines go into the transcript with its state commit", () => {
  it('in the same step, so nothing is left for the recorder to append after the turn, and each line is there once', async () => {
    const { store, appended } = watched(stores.transcripts);
    const a = recordingInstance(stores, store);
    const id = conversationId();
    await a.log.create(meta(id));
    await a.adapter.receive(id, 'dl_pupil', message('one', 'c1'), a.logic());
    await a.adapter.receive(id, 'dl_pupil', message('two', 'c2'), a.logic());
    expect(said(await stores.transcripts.read(id))).toEqual(['pupil: one', 'bot: reply to turn 1', 'pupil: two', 'bot: reply to turn 2']);
    expect(appended).toEqual([]);
    expect(await texts(a.log, id)).toEqual(['one', 'reply to turn 1', 'two', 'reply to turn 2']);
  });

  it('and what the bot says after the save is appended after the turn, in order', async () => {
    const { store, appended } = watched(stores.transcripts);
    const { log, adapter, logic } = recordingInstance(stores, store);
    const id = conversationId();
    await log.create(meta(id));
    await adapter.receive(id, 'dl_pupil', message('one', 'c1'), async (context) => {
      await logic()(context);
      await context.sendActivity('said after the save');
    });
    expect(said(await stores.transcripts.read(id))).toEqual(['pupil: one', 'bot: reply to turn 1', 'bot: said after the save']);
    expect(said(appended.flat())).toEqual(['bot: said after the save']);
  });

  it('and a write refused for its eTag writes none of them', async () => {
    const id = conversationId();
    const key = `directline/conversations/${id}/`;
    const state = new OptimisticConversationState(stores.state);
    const count = state.createProperty<number>('count');
    const turn = () => {
      const context = new TurnContext(new TestAdapter(), { type: 'message', channelId: 'directline', conversation: { id, isGroup: false, conversationType: 'personal', name: '' } });
      const commit = stores.commits.open(id);
      commit.transcript.push({ from: 'pupil', text: `line ${randomBytes(3).toString('hex')}`, timestamp: '2026-11-23T10:00:00.000Z' });
      attachTurnCommit(context, commit);
      return { context, commit };
    };

    const stale = turn();
    await count.get(stale.context, 0);
    await stores.state.write({ [key]: { count: 5 } }); // another instance commits first
    await count.set(stale.context, 1);
    expect(isEtagConflict(await state.saveChanges(stale.context).catch((error: unknown) => error))).toBe(true);
    expect(stale.commit.transcript).toHaveLength(1); // still the recorder's
    expect(await stores.transcripts.read(id)).toEqual([]);

    const fresh = turn();
    const [line] = fresh.commit.transcript;
    await count.set(fresh.context, (await count.get(fresh.context, 0)) + 1);
    await state.saveChanges(fresh.context);
    expect(fresh.commit.transcript).toHaveLength(0); // written with the commit
    expect(await stores.transcripts.read(id)).toEqual([line]);
    expect((await stores.state.read([key]))[key].count).toBe(6);
  });

  it('and without a store that can, the recorder appends them after the turn as before', async () => {
    const memory = createMemoryStores({ retentionDays: 1 });
    const { store, appended } = watched(memory.transcripts);
    const a = recordingInstance(memory, store);
    const id = conversationId();
    await a.log.create(meta(id));
    await a.adapter.receive(id, 'dl_pupil', message('one', 'c1'), a.logic());
    expect(said(appended.flat())).toEqual(['pupil: one', 'bot: reply to turn 1']);
    expect(said(await memory.transcripts.read(id))).toEqual(['pupil: one', 'bot: reply to turn 1']);
  });
});

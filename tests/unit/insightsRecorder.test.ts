import { TestAdapter, TurnContext } from 'botbuilder';
import { MemoryInsights } from '../../adapters/memory/memoryInsights';
import { InsightsRecorder } from '../../bot/insights/insightsRecorder';
import { londonIsoWeek } from '../../bot/insights/isoWeek';
import { clockStartingAt } from '../../bot/clock';
import type { InsightsStore, Logger } from '../../bot/ports';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The memory store, watched: each increment's fields (the real store counts them). */
function watched(): { store: InsightsStore; increments: string[][] } {
  const inner = new MemoryInsights();
  const increments: string[][] = [];
  const store: InsightsStore = {
    increment: (school, week, fields) => {
      increments.push([...fields]);
      return inner.increment(school, week, fields);
    },
    addPickup: (school, week, seconds) => inner.addPickup(school, week, seconds),
    read: (school, week) => inner.read(school, week),
  };
  return { store, increments };
}

describe("a bot turn's insights", () => {
  const at = new Date('2026-11-23T10:00:00Z');
  const turn = () => new TurnContext(new TestAdapter(), { type: 'message', text: 'hi', conversation: { id: 'c', isGroup: false, conversationType: 'personal', name: '' } });

  it('are written once the turn is flushed, one write for the counters of one school and week', async () => {
    const { store, increments } = watched();
    const recorder = new InsightsRecorder(store, clockStartingAt(at), quiet);
    const context = turn();
    recorder.onTurn(context, 'default', { kind: 'conversation-started', outOfTerm: false, outOfHours: true });
    recorder.onTurn(context, 'default', { kind: 'topic', topic: 'post16' });
    recorder.onTurn(context, 'other', { kind: 'topic', topic: 'jobs' });
    expect(increments).toEqual([]);
    recorder.flush(context);
    expect(increments).toEqual([['conversations', 'conversations:out-of-hours', 'topic:post16'], ['topic:jobs']]);
    await new Promise((resolve) => setImmediate(resolve));
    const week = londonIsoWeek(at);
    expect((await store.read('default', week)).counts).toEqual({ conversations: 1, 'conversations:out-of-hours': 1, 'topic:post16': 1 });
    expect((await store.read('other', week)).counts).toEqual({ 'topic:jobs': 1 });
    recorder.flush(context);
    expect(increments).toHaveLength(2); // nothing left to write
  });
});

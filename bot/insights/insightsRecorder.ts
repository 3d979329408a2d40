import type { TurnContext } from 'botbuilder';
import type { Clock, InsightsStore, Logger } from '../ports';
import { countersOf, type InsightEvent } from './insightEvents';
import { londonIsoWeek } from './isoWeek';
import { errorMessage } from '../errorMessage';

const PENDING = Symbol('insights.pending');

interface Pending {
  school: string;
  event: InsightEvent;
  at: Date;
}

/**
 * Counts what happens for each school's insights, without ever holding up a pupil: a write is
 * fire-and-forget, and a failure is logged (school and event kind only, never anything said).
 * A bot turn's events wait until its state is saved, so a turn re-run after an eTag conflict
 * is counted once.
 */
export class InsightsRecorder {
  constructor(
    private readonly store: InsightsStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Records now (the adviser console's events). */
  record(school: string, event: InsightEvent, at: Date = this.clock.now()): void {
    const week = londonIsoWeek(at);
    this.unawaited(this.store.increment(school, week, countersOf(event)), school, event.kind);
    if (event.kind === 'picked-up') this.unawaited(this.store.addPickup(school, week, event.waitedSeconds), school, event.kind);
  }

  /** A write nobody waits for: its failure is logged (school and event kinds only). */
  private unawaited(write: Promise<void>, school: string, kinds: string): void {
    write.catch((error: unknown) => {
      this.logger.warn('insights not recorded', { school, event: kinds, error: errorMessage(error) });
    });
  }

  /** Keeps an event of a bot turn until `flush` (after the turn's state is saved). */
  onTurn(context: TurnContext, school: string, event: InsightEvent): void {
    let pending: Pending[] | undefined = context.turnState.get(PENDING);
    if (!pending) {
      pending = [];
      context.turnState.set(PENDING, pending);
    }
    pending.push({ school, event, at: this.clock.now() });
  }

  /**
   * Records the turn's events: the counters of one school and week in one write (a turn that
   * starts a conversation and reaches a topic counts both in one call, not two).
   */
  flush(context: TurnContext): void {
    const pending: Pending[] | undefined = context.turnState.get(PENDING);
    if (!pending) return;
    context.turnState.delete(PENDING);
    const counters = new Map<string, { school: string; week: string; fields: string[]; kinds: string[] }>();
    for (const { school, event, at } of pending) {
      if (event.kind === 'picked-up') {
        this.record(school, event, at);
        continue;
      }
      const week = londonIsoWeek(at);
      const key = `${school}\u0000${week}`;
      const batch = counters.get(key) ?? { school, week, fields: [], kinds: [] };
      batch.fields.push(...countersOf(event));
      batch.kinds.push(event.kind);
      counters.set(key, batch);
    }
    for (const { school, week, fields, kinds } of counters.values()) this.unawaited(this.store.increment(school, week, fields), school, kinds.join(','));
  }
}

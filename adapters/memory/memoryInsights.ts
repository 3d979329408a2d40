import { MAX_PICKUPS_PER_WEEK, type InsightsStore, type WeekFigures } from '../../bot/ports';

/** Insights counters in this process (lost on restart, like every in-process store). */
export class MemoryInsights implements InsightsStore {
  private readonly weeks = new Map<string, WeekFigures>();

  private entry(school: string, week: string): WeekFigures {
    const key = `${school}\n${week}`;
    let figures = this.weeks.get(key);
    if (!figures) {
      figures = { counts: {}, pickupSeconds: [] };
      this.weeks.set(key, figures);
    }
    return figures;
  }

  async increment(school: string, week: string, fields: readonly string[]): Promise<void> {
    const { counts } = this.entry(school, week);
    for (const field of fields) counts[field] = (counts[field] ?? 0) + 1;
  }

  async addPickup(school: string, week: string, seconds: number): Promise<void> {
    const { pickupSeconds } = this.entry(school, week);
    pickupSeconds.push(Math.max(0, Math.round(seconds)));
    if (pickupSeconds.length > MAX_PICKUPS_PER_WEEK) pickupSeconds.splice(0, pickupSeconds.length - MAX_PICKUPS_PER_WEEK);
  }

  async read(school: string, week: string): Promise<WeekFigures> {
    const figures = this.weeks.get(`${school}\n${week}`);
    return figures ? structuredClone(figures) : { counts: {}, pickupSeconds: [] };
  }
}

import type { Clock } from './ports';

export const systemClock: Clock = { now: () => new Date() };

/**
 * BOT_CLOCK: the bot's clock starts at a given instant and runs on in real time, for demos and
 * tests of term-time and results-day behaviour.
 */
export function clockStartingAt(start: Date, realNow: () => number = Date.now): Clock {
  const offset = start.getTime() - realNow();
  return { now: () => new Date(realNow() + offset) };
}

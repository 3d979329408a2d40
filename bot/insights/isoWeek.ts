import { addDays, londonParts } from '../calendar/londonTime';

const DAY_MS = 86_400_000;
export const WEEK_PATTERN = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;

function utcDay(date: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

/** Monday = 1 ... Sunday = 7 */
const isoWeekday = (day: Date) => ((day.getUTCDay() + 6) % 7) + 1;

/** The ISO-8601 week ("2026-W48") of a calendar date. */
export function isoWeekOfDate(date: string): string {
  const day = utcDay(date);
  const thursday = new Date(day.getTime() + (4 - isoWeekday(day)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The ISO week an instant falls in, on England's calendar (Europe/London). */
export function londonIsoWeek(instant: Date): string {
  return isoWeekOfDate(londonParts(instant).date);
}

/** The Monday (YYYY-MM-DD) that starts an ISO week. */
export function weekStart(week: string): string {
  const match = WEEK_PATTERN.exec(week);
  if (!match) throw new RangeError(`weekStart(): ${week} is not an ISO week like 2026-W48`);
  const jan4 = new Date(Date.UTC(Number(match[1]), 0, 4));
  const monday1 = new Date(jan4.getTime() - (isoWeekday(jan4) - 1) * DAY_MS);
  return new Date(monday1.getTime() + (Number(match[2]) - 1) * 7 * DAY_MS).toISOString().slice(0, 10);
}

/** The `count` ISO weeks up to and including the one `instant` is in, oldest first. */
export function recentWeeks(instant: Date, count: number): string[] {
  const today = londonParts(instant).date;
  return Array.from({ length: count }, (_unused, index) => isoWeekOfDate(addDays(today, -7 * (count - 1 - index))));
}

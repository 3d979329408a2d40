import type { AdviserCalendar } from './adviserAvailability';
import { describeStart, londonParts } from './londonTime';

const NEXT_TERM = "the first day of next term (check your school's dates)";

/** "Tuesday 1 September from 9am" when the school's advisers are away now, else undefined. */
export function awayUntil(calendar: AdviserCalendar, now: Date): string | undefined {
  const availability = calendar.availability(now);
  if (availability.open) return undefined;
  return availability.nextOpen ? describeStart(availability.nextOpen) : NEXT_TERM;
}

/** "4pm" */
function clockTime(time: string): string {
  const [hour, minute] = time.split(':').map(Number);
  return `${hour % 12 === 0 ? 12 : hour % 12}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
}

/**
 * The school's adviser hours as a pupil needs them: "today until 4pm" while advisers are working,
 * else when they are next in ("Tuesday 1 September from 9am"). A saved reply's {adviserHours}.
 */
export function adviserHoursPhrase(calendar: AdviserCalendar, now: Date): string {
  const away = awayUntil(calendar, now);
  if (away) return away;
  const { date, weekday } = londonParts(now);
  const hours = calendar.hoursOn(date, weekday);
  return hours ? `today until ${clockTime(hours.to)}` : 'today';
}

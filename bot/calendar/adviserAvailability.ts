import { Weekday, type KeyDate, type TermCalendar } from '../../knowledge/calendarSchema';
import { addDays, londonInstant, londonParts } from './londonTime';

export type Availability = { open: true } | { open: false; nextOpen?: Date };

const within = (date: string, ranges: { start: string; end: string }[]) => ranges.some((range) => range.start <= date && date <= range.end);

/**
 * When advisers are around, from the term calendar and adviser hours, in England's time.
 * Every decision takes the bot's clock, so demos and tests can set the date.
 */
export class AdviserCalendar {
  private readonly closedDays: Set<string>;

  constructor(private readonly calendar: TermCalendar) {
    this.closedDays = new Set([...calendar.bankHolidays, ...calendar.trainingDays]);
  }

  /** The adviser hours for a day, or undefined when nobody is working. */
  hoursOn(date: string, weekday: string): { from: string; to: string } | undefined {
    if (this.closedDays.has(date)) return undefined;
    const parsed = Weekday.safeParse(weekday);
    if (!parsed.success) return undefined;
    const day = parsed.data;
    const inTerm = within(date, this.calendar.terms) && !within(date, this.calendar.halfTerms);
    return inTerm ? this.calendar.adviserHours[day] : this.calendar.holidayHours[day];
  }

  /** True on a school day's date: in a term and not in half-term (bank holidays and weekends count). */
  isTermDay(now: Date): boolean {
    const { date } = londonParts(now);
    return within(date, this.calendar.terms) && !within(date, this.calendar.halfTerms);
  }

  /** The answer for the last minute asked about: it changes at most once a minute, and a turn asks more than once. */
  private lastAvailability?: { minute: number; availability: Availability };

  availability(now: Date): Availability {
    const minute = Math.floor(now.getTime() / 60_000);
    if (this.lastAvailability?.minute !== minute) this.lastAvailability = { minute, availability: this.workOutAvailability(now) };
    const known = this.lastAvailability.availability;
    // a copy: the caller may change what it is given
    return known.open ? { open: true } : { open: false, ...(known.nextOpen ? { nextOpen: new Date(known.nextOpen) } : {}) };
  }

  private workOutAvailability(now: Date): Availability {
    const { date, time, weekday } = londonParts(now);
    const today = this.hoursOn(date, weekday);
    if (today && today.from <= time && time < today.to) return { open: true };
    if (today && time < today.from) return { open: false, nextOpen: londonInstant(date, today.from) };
    for (let ahead = 1; ahead <= 400; ahead += 1) {
      const next = addDays(date, ahead);
      const hours = this.hoursOn(next, londonParts(londonInstant(next, '12:00')).weekday);
      if (hours) return { open: false, nextOpen: londonInstant(next, hours.from) };
    }
    return { open: false };
  }

  /** The key date that is timely now: results from a week before to two weeks after; deadlines (UCAS, options) in the 30 days before. */
  timely(now: Date): { keyDate: KeyDate; daysTo: number } | undefined {
    const { date } = londonParts(now);
    const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
    const candidates = this.calendar.keyDates
      .map((keyDate) => ({ keyDate, daysTo: daysBetween(date, keyDate.date) }))
      .filter(({ keyDate, daysTo }) => (keyDate.kind.endsWith('deadline') ? daysTo >= 0 && daysTo <= 30 : daysTo >= -14 && daysTo <= 7))
      .sort((a, b) => Math.abs(a.daysTo) - Math.abs(b.daysTo));
    return candidates[0];
  }
}

import { z } from 'zod';

const isoDate = z.iso.date({ message: 'must be a date like 2026-09-01' });
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 09:00');

const DateRange = z.object({ name: z.string().min(1).optional(), start: isoDate, end: isoDate }).refine((range) => range.start <= range.end, { message: 'start must not be after end', path: ['end'] });

const Hours = z.object({ from: clockTime, to: clockTime }).refine((hours) => hours.from < hours.to, { message: 'from must be before to', path: ['to'] });

export const Weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
export type Weekday = z.infer<typeof Weekday>;
export const WeekHours = z.partialRecord(Weekday, Hours);

/**
 * A key date pupils care about: results days, UCAS deadlines, and the school's own Year 9
 * options deadline (there is no national one, so the default calendar has none).
 */
const KeyDate = z.object({
  id: z.string().regex(/^[a-z0-9.-]+$/),
  kind: z.enum(['gcse-results', 'a-level-results', 't-level-results', 'ucas-deadline', 'gcse-options-deadline']),
  date: isoDate,
  /** the answer shown when this date is what is timely */
  answer: z.string().min(1),
});

/**
 * Term dates and adviser hours for a school (or the England default), in Europe/London time.
 * Adviser hours apply on term days that are not half-term, bank holidays or training days;
 * `holidayHours` (usually none) apply on other weekdays.
 */
export const TermCalendar = z.object({
  source: z.string().min(1),
  lastChecked: isoDate,
  terms: z.array(DateRange).min(1),
  halfTerms: z.array(DateRange).default([]),
  bankHolidays: z.array(isoDate).default([]),
  trainingDays: z.array(isoDate).default([]),
  adviserHours: WeekHours,
  holidayHours: WeekHours.default({}),
  keyDates: z.array(KeyDate).default([]),
});

export type TermCalendar = z.infer<typeof TermCalendar>;
export type KeyDate = z.infer<typeof KeyDate>;

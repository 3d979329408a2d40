const TIME_ZONE = 'Europe/London';

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'long',
  hourCycle: 'h23',
});

export interface LondonParts {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  time: string;
  weekday: string;
}

/** The last minute asked about: a turn asks several times, and the answer changes once a minute. */
let lastMinute: { minute: number; parts: LondonParts } | undefined;

/** The wall-clock date, time and weekday in England at an instant, summer time included. */
export function londonParts(instant: Date): LondonParts {
  const minute = Math.floor(instant.getTime() / 60_000);
  if (lastMinute?.minute === minute) return { ...lastMinute.parts };
  const fields = Object.fromEntries(partsFormat.formatToParts(instant).map((part) => [part.type, part.value]));
  const parts = { date: `${fields.year}-${fields.month}-${fields.day}`, time: `${fields.hour}:${fields.minute}`, weekday: String(fields.weekday).toLowerCase() };
  lastMinute = { minute, parts };
  return { ...parts };
}

/**
 * Instants already worked out, by "date time": a turn asks for the same few (today's adviser
 * hours, the next day's), and working one out formats up to two others, which would also push
 * the current minute out of londonParts' one-entry cache. Bounded: cleared when full.
 */
const instants = new Map<string, number>();
const INSTANTS_KEPT = 1024;

/** The instant that is `time` on `date` in England (GMT or BST as that day has it). */
export function londonInstant(date: string, time: string): Date {
  const key = `${date} ${time}`;
  const known = instants.get(key);
  if (known !== undefined) return new Date(known);
  const instant = findLondonInstant(date, time);
  if (instants.size >= INSTANTS_KEPT) instants.clear();
  instants.set(key, instant.getTime());
  return instant;
}

function findLondonInstant(date: string, time: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // London is UTC or UTC+1: try both and keep the one whose wall clock matches.
  for (const offsetHours of [0, 1]) {
    const candidate = new Date(wall - offsetHours * 3_600_000);
    const parts = londonParts(candidate);
    if (parts.date === date && parts.time === time) return candidate;
  }
  return new Date(wall);
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

const spoken = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long' });

/** "Tuesday 1 September from 9am" */
export function describeStart(instant: Date): string {
  const { time } = londonParts(instant);
  const [hour, minute] = time.split(':').map(Number);
  const clock = `${hour % 12 === 0 ? 12 : hour % 12}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
  return `${spoken.format(instant)} from ${clock}`;
}

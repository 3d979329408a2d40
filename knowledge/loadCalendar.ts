import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ContentError, defaultContentDir } from './loadContent';
import { TermCalendar } from './calendarSchema';

export function defaultCalendarFile(): string {
  return path.join(path.dirname(defaultContentDir()), 'calendar', 'england-2026-27.json');
}

/** Loads a term calendar (the built-in default or TERM_CALENDAR_FILE); an error names the file and field. */
export function loadCalendar(file: string = defaultCalendarFile()): TermCalendar {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContentError(`loadCalendar(): ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = TermCalendar.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
    throw new ContentError(`loadCalendar(): ${file}: ${where || 'file'} ${issue.message}`);
  }
  return parsed.data;
}

import path from 'node:path';
import { TermCalendar } from './calendarSchema';
import { defaultContentDir } from './loadContent';
import { readJsonFile } from './readJsonFile';

export function defaultCalendarFile(): string {
  return path.join(path.dirname(defaultContentDir()), 'calendar', 'england-2026-27.json');
}

/** Loads a term calendar (the built-in default or TERM_CALENDAR_FILE); an error names the file and field. */
export function loadCalendar(file: string = defaultCalendarFile()): TermCalendar {
  return readJsonFile(file, TermCalendar, 'loadCalendar()');
}

import path from 'node:path';
import type { TermCalendar } from './calendarSchema';
import { loadCalendar } from './loadCalendar';
import { readJsonFile } from './readJsonFile';
import { DEFAULT_SCHOOL_ID, SchoolsFile, type AlertReceiver } from './schoolsSchema';

/** A school with its own calendar worked out (adviser hours override applied). */
export interface SchoolSettings {
  id: string;
  name: string;
  calendar: TermCalendar;
  teamsTenants: string[];
  /** where the school's safeguarding alerts go, when not SAFEGUARDING_WEBHOOK_URL */
  safeguardingAlerts?: AlertReceiver;
}

/**
 * The schools of a deployment. With no SCHOOLS_FILE, one school `default` on the given calendar
 * (TERM_CALENDAR_FILE or the built-in one), as before schools existed. A school without a
 * calendar of its own uses that one too. A bad file stops start-up naming file and field.
 */
export function loadSchools(file: string | undefined, fallbackCalendar: TermCalendar): SchoolSettings[] {
  if (!file) return [{ id: DEFAULT_SCHOOL_ID, name: 'Default school', calendar: fallbackCalendar, teamsTenants: [] }];
  const parsed = readJsonFile(file, SchoolsFile, 'loadSchools()');
  return parsed.schools.map((school) => {
    const base = school.calendar ?? (school.calendarFile ? loadCalendar(path.resolve(path.dirname(file), school.calendarFile)) : fallbackCalendar);
    const calendar = school.adviserHours ? { ...base, adviserHours: school.adviserHours } : base;
    return { id: school.id, name: school.name, calendar, teamsTenants: school.teamsTenants, ...(school.safeguardingAlerts ? { safeguardingAlerts: school.safeguardingAlerts } : {}) };
  });
}

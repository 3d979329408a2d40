import { z } from 'zod';
import { TermCalendar, WeekHours } from './calendarSchema';

/** A school's id: what goes in its web chat address, `/s/<id>`. */
export const SCHOOL_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const SchoolId = z.string().regex(SCHOOL_ID_PATTERN, 'must be 1-40 lower-case letters, digits or hyphens (not at either end)');

const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** https, or http on this machine only (tests, a local relay): an alert must not cross a network in clear. */
export function isHttpsOrLocalUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url?.protocol === 'https:' || (url?.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname));
}

export const AlertWebhookUrl = z.string().trim().refine(isHttpsOrLocalUrl, 'must be an https:// URL (http:// only on localhost or 127.0.0.1)');

/** How an alert's body is written: the alert as signed JSON, or a message a Teams "Workflows" webhook posts to a channel. */
export const AlertFormat = z.enum(['json', 'teams-workflow']);
export type AlertFormat = z.infer<typeof AlertFormat>;

/** Where a school's safeguarding alerts go, in place of SAFEGUARDING_WEBHOOK_URL. */
export const AlertReceiver = z.object({ url: AlertWebhookUrl, format: AlertFormat.default('json') }).strict();
export type AlertReceiver = z.infer<typeof AlertReceiver>;

/** The school a deployment without SCHOOLS_FILE serves, and the one `/` and unknown Teams tenants use. */
export const DEFAULT_SCHOOL_ID = 'default';

const School = z
  .object({
    id: SchoolId,
    name: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
    /** a TERM_CALENDAR_FILE-style file, relative to the schools file */
    calendarFile: z.string().min(1).optional(),
    /** or the calendar inline */
    calendar: TermCalendar.optional(),
    /** replaces the calendar's term-time adviser hours */
    adviserHours: WeekHours.optional(),
    /** Microsoft Teams (Entra ID) tenants whose pupils belong to this school */
    teamsTenants: z.array(z.string().trim().min(1).max(100)).default([]),
    /** where this school's safeguarding alerts go; default: SAFEGUARDING_WEBHOOK_URL as json */
    safeguardingAlerts: AlertReceiver.optional(),
  })
  .refine((school) => !(school.calendarFile && school.calendar), { message: 'give calendarFile or calendar, not both', path: ['calendar'] });

/** SCHOOLS_FILE: the schools one deployment serves. */
export const SchoolsFile = z.object({ schools: z.array(School).min(1, 'must list at least one school') }).superRefine((file, ctx) => {
  const ids = new Set<string>();
  const tenants = new Map<string, string>();
  file.schools.forEach((school, index) => {
    if (ids.has(school.id)) ctx.addIssue({ code: 'custom', path: ['schools', index, 'id'], message: `is listed twice (${school.id})` });
    ids.add(school.id);
    school.teamsTenants.forEach((tenant, position) => {
      const lower = tenant.toLowerCase();
      const owner = tenants.get(lower);
      if (owner) ctx.addIssue({ code: 'custom', path: ['schools', index, 'teamsTenants', position], message: `already belongs to ${owner}` });
      tenants.set(lower, school.id);
    });
  });
});

export type SchoolsFile = z.infer<typeof SchoolsFile>;
export type SchoolEntry = z.infer<typeof School>;

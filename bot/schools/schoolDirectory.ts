import { DEFAULT_SCHOOL_ID, SCHOOL_ID_PATTERN, type AlertReceiver } from '../../knowledge/schoolsSchema';
import type { SchoolSettings } from '../../knowledge/loadSchools';
import { AdviserCalendar } from '../calendar/adviserAvailability';

export interface School {
  id: string;
  name: string;
  calendar: AdviserCalendar;
  /** where its safeguarding alerts go, when not the deployment's SAFEGUARDING_WEBHOOK_URL */
  alertReceiver?: AlertReceiver;
}

/**
 * The schools one deployment serves, looked up by id (web chat address) or by Teams tenant.
 * Built once at start-up; every lookup is a map read.
 */
export class SchoolDirectory {
  private readonly byId = new Map<string, School>();
  private readonly byTenant = new Map<string, School>();

  constructor(settings: readonly SchoolSettings[]) {
    for (const entry of settings) {
      const school: School = { id: entry.id, name: entry.name, calendar: new AdviserCalendar(entry.calendar), ...(entry.safeguardingAlerts ? { alertReceiver: entry.safeguardingAlerts } : {}) };
      this.byId.set(school.id, school);
      for (const tenant of entry.teamsTenants) this.byTenant.set(tenant.toLowerCase(), school);
    }
  }

  get(id: string | undefined): School | undefined {
    return id && SCHOOL_ID_PATTERN.test(id) ? this.byId.get(id) : undefined;
  }

  /** The school `/` and unknown Teams tenants use: the one with id `default`, if listed. */
  get defaultSchool(): School | undefined {
    return this.byId.get(DEFAULT_SCHOOL_ID);
  }

  forTenant(tenantId: string | undefined): School | undefined {
    return (tenantId ? this.byTenant.get(tenantId.toLowerCase()) : undefined) ?? this.defaultSchool;
  }

  /** The school, when the deployment has just one. */
  get only(): School | undefined {
    return this.byId.size === 1 ? [...this.byId.values()][0] : undefined;
  }

  all(): School[] {
    return [...this.byId.values()];
  }
}

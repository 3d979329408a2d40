import { NO_SCHOOL } from '../../bot/handoff/handoffService';
import { DEFAULT_SCHOOL_ID } from '../../knowledge/schoolsSchema';

/** `*` in an adviser's schools: every school of the deployment. */
export const ALL_SCHOOLS = '*';

/** The schools an adviser works for; everything else of the console is refused (403). */
export class SchoolScope {
  private readonly ids: Set<string>;

  constructor(readonly schools: readonly string[]) {
    this.ids = new Set(schools);
  }

  get all(): boolean {
    return this.ids.has(ALL_SCHOOLS);
  }

  /**
   * Items stored before schools existed carry none: they are the default school's. A crisis of a
   * pupil whose school is not known (NO_SCHOOL) is every adviser's: safeguarding comes first.
   */
  allows(school: string | undefined): boolean {
    return this.all || school === NO_SCHOOL || this.ids.has(school ?? DEFAULT_SCHOOL_ID);
  }
}

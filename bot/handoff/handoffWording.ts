import type { Content } from '../../knowledge/loadContent';
import { fill } from '../../dialogs/replies';
import { awayUntil } from '../calendar/adviserHours';
import { errorMessage } from '../errorMessage';
import type { Clock, Logger } from '../ports';
import type { School } from '../schools/schoolDirectory';
import type { AdviserPresence } from './presenceBoard';

/** The answers this file names, for the start-up check. */
export const HANDOFF_WORDING_ANSWER_IDS = ['triage.offer-online', 'handoff.queued-online'] as const;

/**
 * What a pupil who asks for a person is told about when an adviser will see the chat, honestly:
 * "an adviser is online now" only while one of their school's advisers is available (presence),
 * otherwise by the school's calendar (in hours, or when advisers are back).
 */
export class HandoffWording {
  constructor(
    private readonly content: Content,
    private readonly presence: AdviserPresence,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The question offering an adviser. */
  async offer(school: School | undefined): Promise<string> {
    const when = await this.when(school);
    if (when === 'online') return this.content.answer('triage.offer-online').text;
    return when === 'in-hours' ? this.content.answer('triage.offer').text : fill(this.content.answer('triage.offer-out-of-hours').text, { when: when.away });
  }

  /** The reply once the conversation is in the queue. */
  async queued(school: School | undefined): Promise<string> {
    const when = await this.when(school);
    if (when === 'online') return this.content.answer('handoff.queued-online').text;
    return when === 'in-hours' ? this.content.answer('handoff.queued').text : fill(this.content.answer('handoff.queued-out-of-hours').text, { when: when.away });
  }

  private async when(school: School | undefined): Promise<'online' | 'in-hours' | { away: string }> {
    if (!school) return 'in-hours';
    // Presence that cannot be read promises nothing: the calendar's words are true either way.
    const online = await this.presence.anyAvailable(school.id).catch((error: unknown) => {
      this.logger.warn('adviser presence unavailable; using the calendar', { school: school.id, error: errorMessage(error) });
      return false;
    });
    if (online) return 'online';
    const away = awayUntil(school.calendar, this.clock.now());
    return away ? { away } : 'in-hours';
  }
}

import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { FlagName } from '../../knowledge/triageSchema';
import type { Clock, Logger, QueueItem, TranscriptStore } from '../ports';
import { priorityOf } from '../triage/flagDetector';
import type { ConversationReferences } from './conversationReferences';
import type { ResilientQueue } from './resilientQueue';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { TurnSchool } from '../schools/turnSchool';
import { errorMessage } from '../errorMessage';
import { handoffInitiation } from './handoffEvent';
import type { SafetyAnswer } from '../../dialogs/conversationData';

/** The queue's school for a conversation that belongs to none this deployment serves (only a crisis queues one). */
export const NO_SCHOOL = '(none)';

const SAFETY_NOTES: Record<SafetyAnswer, string> = {
  safe: 'said they are safe right now',
  'not-safe': 'said they are NOT safe right now',
  'not-sure': 'not sure they are safe right now',
};

/** What an adviser needs to triage: the topic, the flags and the safety check's answer, never the pupil's own words. */
export function summarise(flags: readonly string[], topic: string | undefined, safety?: SafetyAnswer): string {
  const summary = `Topic: ${topic ?? 'not chosen yet'}. Flags: ${flags.length > 0 ? flags.join(', ') : 'none'}.`;
  return safety ? `${summary} Safety check: ${SAFETY_NOTES[safety]}.` : summary;
}

/**
 * Puts a conversation in the adviser queue with its flags and priority, and announces the
 * hand-off with the Bot Framework's handoff.initiate event (with the transcript), so a standard
 * agent hub could take it too.
 */
export class HandoffService {
  constructor(
    private readonly queue: ResilientQueue,
    private readonly transcripts: TranscriptStore,
    private readonly references: ConversationReferences,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly schools: TurnSchool,
    private readonly insights: InsightsRecorder,
  ) {}

  /** `safety`: the pupil's answer to the crisis safety check, shown to the adviser in the item's summary. */
  async request(context: TurnContext, flags: FlagName[], topic: string | undefined, safety?: SafetyAnswer): Promise<QueueItem | undefined> {
    const conversationId = context.activity.conversation?.id ?? '';
    const askedFor: FlagName[] = flags.length > 0 ? flags : ['asked-for-adviser'];
    const school = await this.schools.of(context);
    const at = this.clock.now();
    const priority = priorityOf(askedFor) ?? 'standard';
    const item = await this.queue.enqueue({
      conversationId,
      flags: askedFor,
      priority,
      channel: context.activity.channelId ?? 'unknown',
      summary: summarise(askedFor, topic, safety),
      at,
      school: school?.id ?? NO_SCHOOL,
    });
    // Counted when the conversation joins the queue, with the flags and priority it joins with
    // (a request merged into a waiting item is not a new hand-off). A write kept for retry counts too.
    const joined = !item || item.waitingSince === at.toISOString();
    if (school && joined) this.insights.onTurn(context, school.id, { kind: 'handoff-queued', flags: askedFor, priority });
    await this.references.save(context).catch((error: unknown) => {
      this.logger.warn('conversation reference not saved', { conversationId, error: errorMessage(error) });
    });
    await this.announce(context, askedFor, topic);
    return item;
  }

  private async announce(context: TurnContext, flags: FlagName[], topic: string | undefined): Promise<void> {
    try {
      const entries = await this.transcripts.read(context.activity.conversation?.id ?? '');
      // Each line as a bare message activity: who, when and what. The channel, conversation and
      // recipient are the event's own, so repeating them on every line would only add bytes
      // (botbuilder's Activity type names every field as required, hence the cast).
      const activities = entries.map((entry) => ({
        type: ActivityTypes.Message,
        text: entry.text,
        timestamp: entry.timestamp,
        from: { id: entry.from, name: entry.from, role: entry.from === 'pupil' ? 'user' : 'bot' },
      })) as unknown as Activity[];
      const handoff = handoffInitiation(context, { flags, priority: priorityOf(flags), summary: summarise(flags, topic) }, { activities }, this.clock.now());
      await context.sendActivity(handoff);
    } catch (error) {
      // The built-in adviser queue already has the request; the event is for outside agent hubs.
      this.logger.warn('handoff event not sent', { conversationId: context.activity.conversation?.id, error: errorMessage(error) });
    }
  }
}

import { ActivityTypes, EventFactory, type Activity, type TurnContext } from 'botbuilder';
import type { FlagName } from '../../knowledge/triageSchema';
import type { Clock, Logger, QueueItem, TranscriptStore } from '../ports';
import { priorityOf } from '../triage/flagDetector';
import type { ConversationReferences } from './conversationReferences';
import type { ResilientQueue } from './resilientQueue';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { TurnSchool } from '../schools/turnSchool';
import { errorMessage } from '../errorMessage';
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

/** Whether an agent hub listens on a turn's channel for the Bot Framework's hand-off events. */
export type AgentHubListens = (context: TurnContext) => boolean;

/**
 * Puts a conversation in the adviser queue with its flags and priority. On a channel where an
 * agent hub listens, it also announces the hand-off with the Bot Framework's handoff.initiate
 * event (EventFactory, with the transcript), so a standard agent hub can take it too; never in
 * the pupil's own web chat, whose log is what the pupil reads.
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
    private readonly agentHubListens: AgentHubListens = () => false,
  ) {}

  /**
   * `safety`: the pupil's answer to the crisis safety check, shown to the adviser in the item's
   * summary. `alert`: false when the request adds no new urgent reason to an item already queued
   * as urgent (see HandoffRequest.alert).
   */
  async request(context: TurnContext, flags: FlagName[], topic: string | undefined, options: { safety?: SafetyAnswer; alert?: boolean } = {}): Promise<QueueItem | undefined> {
    const { safety, alert } = options;
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
      ...(alert === false ? { alert } : {}),
    });
    // Counted when the conversation joins the queue, with the flags and priority it joins with
    // (a request merged into a waiting item is not a new hand-off). A write kept for retry counts too.
    const joined = !item || item.waitingSince === at.toISOString();
    if (school && joined) this.insights.onTurn(context, school.id, { kind: 'handoff-queued', flags: askedFor, priority });
    await this.references.save(context).catch((error: unknown) => {
      this.logger.warn('conversation reference not saved', { conversationId, error: errorMessage(error) });
    });
    if (this.agentHubListens(context)) await this.announce(context, askedFor, topic);
    return item;
  }

  private async announce(context: TurnContext, flags: FlagName[], topic: string | undefined): Promise<void> {
    const { activity } = context;
    try {
      const entries = await this.transcripts.read(activity.conversation?.id ?? '');
      const activities = entries.map((entry): Activity => {
        const speaker = { id: entry.from, name: entry.from, role: entry.from === 'pupil' ? 'user' : 'bot' };
        return {
          type: ActivityTypes.Message,
          text: entry.text,
          timestamp: new Date(entry.timestamp),
          from: speaker,
          recipient: entry.from === 'pupil' ? activity.recipient : activity.from,
          conversation: activity.conversation,
          channelId: activity.channelId,
          serviceUrl: activity.serviceUrl,
          localTimezone: '',
          callerId: '',
          label: '',
          valueType: '',
          listenFor: [],
        };
      });
      await context.sendActivity(EventFactory.createHandoffInitiation(context, { flags, priority: priorityOf(flags), summary: summarise(flags, topic) }, { activities }));
    } catch (error) {
      // The built-in adviser queue already has the request; the event is for outside agent hubs.
      this.logger.warn('handoff event not sent', { conversationId: activity.conversation?.id, error: errorMessage(error) });
    }
  }
}

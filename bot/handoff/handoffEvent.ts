import { randomUUID } from 'node:crypto';
import { ActivityTypes, HandoffEventNames, TurnContext, type Activity } from 'botbuilder';

/**
 * The server's time zone, worked out once. botbuilder's EventFactory asks Intl for it on every
 * hand-off event (a new DateTimeFormat each time, about a quarter of a millisecond).
 */
const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * The Bot Framework's handoff.initiate event, as botbuilder's EventFactory.createHandoffInitiation
 * makes it (same fields, the transcript as a JSON attachment), for agent hubs that speak it.
 */
export function handoffInitiation(context: TurnContext, handoffContext: unknown, transcript: { activities: Activity[] }, now: Date): Partial<Activity> {
  const { activity } = context;
  return {
    type: ActivityTypes.Event,
    name: HandoffEventNames.InitiateHandoff,
    value: handoffContext,
    id: randomUUID(),
    timestamp: now,
    localTimezone: LOCAL_TIME_ZONE,
    conversation: activity.conversation,
    attachments: [{ content: transcript, contentType: 'application/json', name: 'Transcript' }],
    entities: [],
    from: activity.from,
    relatesTo: TurnContext.getConversationReference(activity) as Activity['relatesTo'],
    replyToId: activity.id,
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
  };
}

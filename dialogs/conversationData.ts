import type { PupilProfile } from './pupilProfile';

/** What the pupil answered to "Are you safe right now?" */
export type SafetyAnswer = 'safe' | 'not-safe' | 'not-sure';

/** The supportive mode a conversation stays in after a crisis reply, until the pupil moves on or an adviser closes it. */
export interface CrisisModeState {
  /** ISO-8601: when the first crisis reply of this spell went out */
  since: string;
  /** true while the bot waits for the answer to the safety check */
  awaitingSafety: boolean;
  safety?: SafetyAnswer;
  /** supportive replies sent so far, so each says something a little different */
  replies: number;
}

/** What the bot keeps about a conversation: only what it needs to carry on and to triage. */
export interface ConversationData {
  /** messages in a row the bot could not route */
  notUnderstoodInARow: number;
  lastTopic?: string;
  /** the id of the job just talked about, for follow-ups that do not name it ("and the pay?") */
  career?: string;
  profile: PupilProfile;
  /** triage flags raised so far (CONTRACT.md vocabulary); kept even when the pupil says no to an adviser */
  flags: string[];
  /** true once the pupil is in the adviser queue */
  handoffRequested?: boolean;
  /** the pupil's school id, worked out on the conversation's first turn and kept */
  school?: string;
  /** topics already counted for the school's insights (each once per conversation) */
  topicsCounted?: string[];
  /** jobs whose profile view is already counted for the school's insights, by sector (each once per conversation) */
  careersCounted?: string[];
  /** set while the conversation is in crisis mode */
  crisis?: CrisisModeState;
}

/** lastTopic while the pupil talks about jobs (the careers answers and the explorer) */
export const CAREERS_TOPIC = 'careers';

export const emptyConversationData = (): ConversationData => ({ notUnderstoodInARow: 0, profile: {}, flags: [] });

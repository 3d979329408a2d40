import type { PupilProfile } from './pupilProfile';

/** What the bot keeps about a conversation: only what it needs to carry on and to triage. */
export interface ConversationData {
  /** messages in a row the bot could not route */
  notUnderstoodInARow: number;
  lastTopic?: string;
  profile: PupilProfile;
  /** triage flags raised so far (CONTRACT.md vocabulary); kept even when the pupil says no to an adviser */
  flags: string[];
  /** the flags an adviser was offered for, while the bot waits for yes or no */
  pendingOffer?: string[];
  /** true once the pupil is in the adviser queue */
  handoffRequested?: boolean;
  /** true while the bot waits for the pupil to confirm that their data should be deleted */
  pendingErasure?: boolean;
  /** the pupil's school id, worked out on the conversation's first turn and kept */
  school?: string;
  /** topics already counted for the school's insights (each once per conversation) */
  topicsCounted?: string[];
}

export const emptyConversationData = (): ConversationData => ({ notUnderstoodInARow: 0, profile: {}, flags: [] });

import type { PupilProfile } from './pupilProfile';

/** What the bot keeps about a conversation: only what it needs to carry on and to triage. */
export interface ConversationData {
  /** messages in a row the bot could not route */
  notUnderstoodInARow: number;
  lastTopic?: string;
  profile: PupilProfile;
  /** triage flags raised so far (CONTRACT.md vocabulary) */
  flags: string[];
}

export const emptyConversationData = (): ConversationData => ({ notUnderstoodInARow: 0, profile: {}, flags: [] });

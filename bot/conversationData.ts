/** What the bot keeps about a conversation: only what it needs to carry on. */
export interface ConversationData {
  /** messages in a row the bot could not route; triage uses it later */
  notUnderstoodInARow: number;
  lastTopic?: string;
}

export const emptyConversationData = (): ConversationData => ({ notUnderstoodInARow: 0 });

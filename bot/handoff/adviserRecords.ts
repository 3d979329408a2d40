/**
 * Where the adviser's records of a conversation live in the key-value store: the private notes
 * and the outcome kept when it is closed. Named once, for the adviser API that writes them and
 * for the deletion of a pupil's data that removes them.
 */
export const adviserNotesKey = (conversationId: string): string => `adviser:notes:${conversationId}`;
export const adviserOutcomeKey = (conversationId: string): string => `adviser:outcome:${conversationId}`;

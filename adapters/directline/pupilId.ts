import { createHash } from 'node:crypto';

/**
 * A web chat pupil's user id, made from the conversation id rather than drawn at random: it is
 * one pupil per conversation either way, and the stored log need not spell it out on every line
 * (adapters/redis/activityCodec). Neither id is a credential: the signed token is.
 */
export function pupilIdFor(conversationId: string): string {
  if (conversationId === last.conversationId) return last.pupilId;
  const pupilId = `dl_${createHash('sha256').update(`pupil|${conversationId}`).digest('base64url').slice(0, 16)}`;
  last = { conversationId, pupilId };
  return pupilId;
}

/** The one made last: a conversation's lines are encoded and read together. */
let last = { conversationId: '', pupilId: '' };

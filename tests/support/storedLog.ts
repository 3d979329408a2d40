import type { Redis, Cluster } from 'ioredis';
import { decodeActivity, parseEntry } from '../../adapters/redis/activityCodec';
import { parseLine } from '../../adapters/redis/redisTranscripts';
import { RedisKeys } from '../../adapters/redis/keys';
import type { DLActivity } from './directLineClient';

/**
 * A web chat conversation's activities as they sit in Redis, read straight from the list (not
 * through the app) and decoded: the bot's own replies are kept once in the shared bodies hash.
 */
export async function storedActivities(redis: Redis | Cluster, prefix: string, conversationId: string): Promise<DLActivity[]> {
  const keys = new RedisKeys(prefix);
  const entries = (await redis.lrange(keys.log(conversationId), 0, -1)).map((line) => parseEntry(conversationId, line)).filter((entry) => entry.erased !== true);
  const shared = await redis.hgetall(keys.replyBodies);
  const bodies = new Map(Object.entries(shared).map(([ref, json]) => [ref, JSON.parse(json) as unknown]));
  return entries.map((entry) => decodeActivity(conversationId, entry, bodies) as DLActivity);
}

/** A conversation's transcript lines as they sit in Redis, bot lines looked up in the shared texts. */
export async function storedTranscript(redis: Redis | Cluster, prefix: string, conversationId: string): Promise<{ from: string; text: string }[]> {
  const keys = new RedisKeys(prefix);
  const texts = await redis.hgetall(keys.transcriptTexts);
  return (await redis.lrange(keys.transcript(conversationId), 0, -1)).map((raw) => {
    const line = parseLine(raw);
    return line.shared ? { from: 'bot', text: JSON.parse(texts[line.shared.shared] ?? 'null') as string } : { from: line.own.from, text: line.own.text };
  });
}

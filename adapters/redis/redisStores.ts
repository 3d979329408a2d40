import type { Stores } from '../../bot/ports';
import { RedisChannels } from './redisChannels';
import { closeClient, type WarnLogger } from './redisClient';
import { createRedisConnection, describeTarget, type RedisTarget } from './connection';
import { RedisConversationLog } from './redisConversationLog';
import { RedisHandoffQueue } from './redisHandoffQueue';
import { RedisInsights } from './redisInsights';
import { RedisKeyValue } from './redisKeyValue';
import { RedisSecrets } from './redisSecrets';
import { RedisStateStorage } from './redisStateStorage';
import { RedisTranscripts } from './redisTranscripts';
import { RedisTurnCommits } from './redisTurnCommits';
import { defineQueueScripts } from './queueScripts';
import { defineScripts } from './scripts';
import { defineAlertScripts } from './alertScripts';
import { RedisAlertOutbox } from './redisAlertOutbox';
import { RedisKeys } from './keys';
import { RedisRateLimits } from './redisRateLimits';

export type RedisStoresOptions = RedisTarget & {
  keyPrefix: string;
  retentionDays: number;
  logger?: WarnLogger;
};

/**
 * Every store on one Redis (a server, a Sentinel group's master or a Redis Cluster): state, conversation logs and shared secrets, all under the key
 * prefix and every key with the retention TTL, so nothing about a pupil outlives it.
 */
export function createRedisStores(options: RedisStoresOptions): Stores {
  if (!(options.retentionDays > 0)) throw new RangeError(`createRedisStores: retentionDays must be positive, got ${options.retentionDays}`);
  // Whole milliseconds: PEXPIRE refuses a fraction (tests use a retention of a few seconds).
  const ttlMs = Math.max(1, Math.round(options.retentionDays * 86_400_000));
  const client = createRedisConnection(options, options.logger);
  defineScripts(client);
  defineQueueScripts(client);
  defineAlertScripts(client);
  const keys = new RedisKeys(options.keyPrefix);
  const channels = new RedisChannels(client, describeTarget(options), options.logger);
  const conversations = new RedisConversationLog(client, channels, keys, ttlMs);
  const transcripts = new RedisTranscripts(client, keys, ttlMs);
  const state = new RedisStateStorage(client, keys, ttlMs);
  return {
    kind: 'redis',
    keyValue: new RedisKeyValue(client, keys),
    state,
    conversations,
    secrets: new RedisSecrets(client, keys, ttlMs),
    queue: new RedisHandoffQueue(client, keys, ttlMs),
    transcripts,
    insights: new RedisInsights(client, keys),
    alerts: new RedisAlertOutbox(client, keys, ttlMs),
    // A turn's state, web chat replies and transcript lines in one script.
    commits: new RedisTurnCommits(client, state, conversations, transcripts),
    rateLimits: new RedisRateLimits(client, keys),
    ping: () => state.ping(),
    close: async () => {
      await channels.close();
      await closeClient(client);
    },
  };
}

import type { Stores } from '../../bot/ports';
import { RedisChannels } from './redisChannels';
import { closeClient, createRedisClient, type WarnLogger } from './redisClient';
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
import { RedisRateLimits } from './redisRateLimits';

export interface RedisStoresOptions {
  url: string;
  keyPrefix: string;
  retentionDays: number;
  logger?: WarnLogger;
}

/**
 * Every store on one Redis: state, conversation logs and shared secrets, all under the key
 * prefix and every key with the retention TTL, so nothing about a pupil outlives it.
 */
export function createRedisStores(options: RedisStoresOptions): Stores {
  if (!(options.retentionDays > 0)) throw new RangeError(`createRedisStores: retentionDays must be positive, got ${options.retentionDays}`);
  // Whole milliseconds: PEXPIRE refuses a fraction (tests use a retention of a few seconds).
  const ttlMs = Math.max(1, Math.round(options.retentionDays * 86_400_000));
  const client = createRedisClient(options.url, options.logger);
  defineScripts(client);
  defineQueueScripts(client);
  defineAlertScripts(client);
  const channels = new RedisChannels(client, options.url, options.logger);
  const conversations = new RedisConversationLog(client, channels, options.keyPrefix, ttlMs);
  const transcripts = new RedisTranscripts(client, options.keyPrefix, ttlMs);
  const state = new RedisStateStorage(client, options.keyPrefix, ttlMs);
  return {
    kind: 'redis',
    keyValue: new RedisKeyValue(client, options.keyPrefix),
    state,
    conversations,
    secrets: new RedisSecrets(client, options.keyPrefix, ttlMs),
    queue: new RedisHandoffQueue(client, options.keyPrefix, ttlMs),
    transcripts,
    insights: new RedisInsights(client, options.keyPrefix),
    alerts: new RedisAlertOutbox(client, options.keyPrefix, ttlMs),
    // A turn's state, web chat replies and transcript lines in one script.
    commits: new RedisTurnCommits(client, state, conversations, transcripts),
    rateLimits: new RedisRateLimits(client, options.keyPrefix),
    ping: () => state.ping(),
    close: async () => {
      await channels.close();
      await closeClient(client);
    },
  };
}

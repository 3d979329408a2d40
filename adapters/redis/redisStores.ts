import { Redis } from 'ioredis';
import type { Logger, SharedSecretStore, Stores } from '../../bot/ports';
import { RedisConversationLog } from './redisConversationLog';
import { RedisStateStorage } from './redisStateStorage';
import { defineScripts } from './scripts';

export interface RedisStoresOptions {
  url: string;
  keyPrefix: string;
  retentionDays: number;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Every store on one Redis: state, conversation logs and shared secrets, all under the key
 * prefix and all with the retention TTL. Commands time out rather than hang.
 */
export function createRedisStores(options: RedisStoresOptions): Stores {
  const ttlMs = options.retentionDays * 86_400_000;
  const client = new Redis(options.url, {
    commandTimeout: 2000,
    maxRetriesPerRequest: 1,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  defineScripts(client);
  let lastWarning = 0;
  client.on('error', (error: Error) => {
    // ioredis reports every failed reconnect; one line every ten seconds is enough.
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    options.logger?.warn('redis connection problem', { error: error.message });
  });

  const state = new RedisStateStorage(client, options.keyPrefix, ttlMs);
  const conversations = new RedisConversationLog(client, options.keyPrefix, ttlMs);
  const secrets: SharedSecretStore = {
    getOrCreate: (name, candidate) => client.getOrCreate(`${options.keyPrefix}secret:${name}`, candidate, ttlMs),
  };
  return {
    kind: 'redis',
    state,
    conversations,
    secrets,
    ping: () => state.ping(),
    close: async () => {
      await conversations.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

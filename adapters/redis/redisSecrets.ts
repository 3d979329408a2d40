import type { RedisKeys } from './keys';
import type { RedisClient } from './redisClient';
import type { SharedSecretStore } from '../../bot/ports';

/**
 * Process-wide secrets shared by every instance: the first candidate stored wins. Each call
 * renews the retention TTL, so a deployment that keeps running keeps its secret.
 */
export class RedisSecrets implements SharedSecretStore {
  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {}

  getOrCreate(name: string, candidate: string): Promise<string> {
    return this.client.getOrCreate(this.keys.secret(name), candidate, this.ttlMs);
  }
}

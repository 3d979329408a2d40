import type { SharedSecretStore } from '../../bot/ports';
import type { ExpiringMap } from './expiringMap';

/** Process-wide secrets: the first candidate wins, and each call renews the retention period. */
export class MemorySecrets implements SharedSecretStore {
  constructor(private readonly values: ExpiringMap<string>) {}

  async getOrCreate(name: string, candidate: string): Promise<string> {
    const existing = this.values.get(name);
    if (existing === undefined) {
      this.values.set(name, candidate);
      return candidate;
    }
    this.values.touch(name);
    return existing;
  }
}

import type { KeyValueStore } from '../../bot/ports';

interface Entry {
  value: string | string[];
  expiresAt: number;
}

/** The key-value store in process memory, each entry with its own time-to-live. */
export class MemoryKeyValue implements KeyValueStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.live(key)?.value;
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.live(key);
    const count = (typeof entry?.value === 'string' ? Number(entry.value) : 0) + 1;
    this.entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? this.now() + ttlMs });
    return count;
  }

  async push(key: string, value: string, ttlMs: number): Promise<void> {
    const entry = this.live(key);
    const list = Array.isArray(entry?.value) ? entry.value : [];
    this.entries.set(key, { value: [...list, value], expiresAt: this.now() + ttlMs });
  }

  async list(key: string): Promise<string[]> {
    const value = this.live(key)?.value;
    return Array.isArray(value) ? [...value] : [];
  }

  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

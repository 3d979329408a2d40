interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * A map whose entries expire `ttlMs` after their last write, as Redis keys do with PEXPIRE.
 * Expiry is checked on access, so an injected clock is obeyed at once; sweep() frees memory
 * for keys nobody asks about again.
 */
export class ExpiringMap<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores the value and starts its retention period again. */
  set(key: string, value: T): void {
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  /** Starts the retention period of a live entry again; does nothing for a missing or expired one. */
  touch(key: string): void {
    if (this.get(key) === undefined) return;
    const entry = this.entries.get(key);
    if (entry) entry.expiresAt = this.now() + this.ttlMs;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** The live values, expired ones dropped. */
  values(): T[] {
    this.sweep();
    return [...this.entries.values()].map((entry) => entry.value);
  }

  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

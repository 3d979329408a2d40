import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { StoreItems } from 'botbuilder';
import {
  ETAG_MUST_NOT_EXIST,
  EtagConflictError,
  type ConversationLog,
  type ConversationMeta,
  type SharedSecretStore,
  type StateStorage,
  type StoredActivities,
  type Stores,
} from '../../bot/ports';

const DAY_MS = 86_400_000;

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/** A map whose entries expire `ttlMs` after their last write, checked on access and by a sweep. */
class ExpiringMap<T> {
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

  set(key: string, value: T): void {
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  touch(key: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.expiresAt = this.now() + this.ttlMs;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** botbuilder Storage with the same eTag contract as the Redis store. */
class MemoryStateStorage implements StateStorage {
  constructor(private readonly items: ExpiringMap<{ json: string; eTag: string }>) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    const found: StoreItems = {};
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) found[key] = { ...JSON.parse(item.json), eTag: item.eTag };
    }
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...value } = change ?? {};
      const current = this.items.get(key);
      const overwrite = eTag === undefined || eTag === '' || eTag === '*';
      if (eTag === ETAG_MUST_NOT_EXIST ? current !== undefined : !overwrite && current?.eTag !== eTag) throw new EtagConflictError(key);
      const next = randomBytes(8).toString('hex');
      this.items.set(key, { json: JSON.stringify(value), eTag: next });
      // Report the new eTag on the written item, as the Redis store does.
      if (change) change.eTag = next;
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
  }

  async ping(): Promise<void> {}
}

class MemoryConversationLog implements ConversationLog {
  private readonly events = new EventEmitter();

  constructor(
    private readonly metas: ExpiringMap<ConversationMeta>,
    private readonly logs: ExpiringMap<string[]>,
  ) {
    this.events.setMaxListeners(0);
  }

  async create(meta: ConversationMeta): Promise<void> {
    if (this.metas.get(meta.conversationId)) throw new Error(`ConversationLog.create(): conversation ${meta.conversationId} already exists`);
    this.metas.set(meta.conversationId, copy(meta));
  }

  async getMeta(conversationId: string): Promise<ConversationMeta | undefined> {
    const meta = this.metas.get(conversationId);
    return meta ? copy(meta) : undefined;
  }

  async markStarted(conversationId: string): Promise<boolean> {
    const meta = this.metas.get(conversationId);
    if (!meta || meta.started) return false;
    meta.started = true;
    return true;
  }

  async append(conversationId: string, activities: Record<string, unknown>[]): Promise<number> {
    const log = this.logs.get(conversationId) ?? [];
    log.push(...activities.map((activity) => JSON.stringify(activity)));
    this.logs.set(conversationId, log);
    this.metas.touch(conversationId);
    queueMicrotask(() => this.events.emit(conversationId));
    return log.length;
  }

  async read(conversationId: string, watermark: number, limit = 200): Promise<StoredActivities> {
    const log = this.logs.get(conversationId) ?? [];
    const from = Math.min(watermark, log.length);
    const page = log.slice(from, from + limit).map((json) => JSON.parse(json));
    return { activities: page, watermark: from + page.length };
  }

  async subscribe(conversationId: string, listener: () => void): Promise<() => Promise<void>> {
    this.events.on(conversationId, listener);
    return async () => {
      this.events.off(conversationId, listener);
    };
  }

  async remove(conversationId: string): Promise<void> {
    this.metas.delete(conversationId);
    this.logs.delete(conversationId);
  }
}

class MemorySecrets implements SharedSecretStore {
  constructor(private readonly values: ExpiringMap<string>) {}

  async getOrCreate(name: string, candidate: string): Promise<string> {
    const existing = this.values.get(name);
    if (existing !== undefined) {
      this.values.touch(name);
      return existing;
    }
    this.values.set(name, candidate);
    return candidate;
  }
}

/** In-process stores for `npm start` without Redis: one process only, gone on restart. */
export function createMemoryStores(options: { retentionDays: number; now?: () => number }): Stores {
  const now = options.now ?? Date.now;
  const ttl = options.retentionDays * DAY_MS;
  const maps = {
    state: new ExpiringMap<{ json: string; eTag: string }>(ttl, now),
    metas: new ExpiringMap<ConversationMeta>(ttl, now),
    logs: new ExpiringMap<string[]>(ttl, now),
    secrets: new ExpiringMap<string>(ttl, now),
  };
  const sweeper = setInterval(() => Object.values(maps).forEach((map) => map.sweep()), 60_000);
  sweeper.unref();
  return {
    kind: 'memory',
    state: new MemoryStateStorage(maps.state),
    conversations: new MemoryConversationLog(maps.metas, maps.logs),
    secrets: new MemorySecrets(maps.secrets),
    ping: async () => undefined,
    close: async () => clearInterval(sweeper),
  };
}

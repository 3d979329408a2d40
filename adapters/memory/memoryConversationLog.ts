import type { ConversationLog, ConversationMeta, StoredActivities } from '../../bot/ports';
import type { ExpiringMap } from './expiringMap';

/** A watermark or limit from a request: negative, fractional or NaN values are read as Redis would be asked. */
const count = (value: number, fallback: number): number => (Number.isFinite(value) ? Math.max(0, Math.floor(value)) : fallback);

/** What an erased activity becomes, as in the Redis log: it keeps its place but says nothing. */
const ERASED = '{"erased":true}';

/** The conversation log in this process: activities kept as JSON strings, so stored ones are never shared. */
export class MemoryConversationLog implements ConversationLog {
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    private readonly metas: ExpiringMap<ConversationMeta>,
    private readonly logs: ExpiringMap<string[]>,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  async create(meta: ConversationMeta): Promise<void> {
    if (this.metas.get(meta.conversationId)) throw new Error(`ConversationLog.create(): conversation ${meta.conversationId} already exists`);
    const { conversationId, userId, createdAt, started, school } = meta;
    this.metas.set(conversationId, { conversationId, userId, createdAt, started, ...(school ? { school } : {}) });
  }

  async getMeta(conversationId: string): Promise<ConversationMeta | undefined> {
    const meta = this.metas.get(conversationId);
    return meta ? { ...meta } : undefined;
  }

  async markStarted(conversationId: string): Promise<boolean> {
    const meta = this.metas.get(conversationId);
    if (!meta || meta.started) return false;
    meta.started = true;
    return true;
  }

  async append(conversationId: string, activities: Record<string, unknown>[]): Promise<number> {
    return this.appendEach(conversationId, activities).length;
  }

  async appendIfNew(conversationId: string, activity: Record<string, unknown>): Promise<boolean> {
    return this.appendEach(conversationId, [activity]).added > 0;
  }

  private appendEach(conversationId: string, activities: Record<string, unknown>[]): { length: number; added: number } {
    const log = this.logs.get(conversationId) ?? [];
    const ids = new Set(log.map((json) => JSON.parse(json).id).filter((id) => typeof id === 'string'));
    const fresh = activities.filter((activity) => {
      if (typeof activity.id !== 'string') return true;
      if (ids.has(activity.id)) return false;
      ids.add(activity.id);
      return true;
    });
    if (fresh.length === 0) return { length: log.length, added: 0 };
    log.push(...fresh.map((activity) => JSON.stringify(activity)));
    this.logs.set(conversationId, log);
    this.metas.touch(conversationId);
    // Later, as a Redis message arrives later: a listener must not run inside the appender's call.
    setImmediate(() => this.notify(conversationId));
    return { length: log.length, added: fresh.length };
  }

  async read(conversationId: string, watermark: number, limit = 200): Promise<StoredActivities> {
    const log = this.logs.get(conversationId) ?? [];
    const from = count(watermark, 0);
    if (from >= log.length) return { activities: [], watermark: log.length };
    const page = log.slice(from, from + count(limit, 200));
    const activities: Record<string, unknown>[] = page.filter((json) => json !== ERASED).map((json) => JSON.parse(json));
    return { activities, watermark: from + page.length };
  }

  async subscribe(conversationId: string, listener: () => void): Promise<() => Promise<void>> {
    const set = this.listeners.get(conversationId) ?? new Set();
    this.listeners.set(conversationId, set);
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(conversationId) === set) this.listeners.delete(conversationId);
    };
  }

  async remove(conversationId: string): Promise<void> {
    this.metas.delete(conversationId);
    this.logs.delete(conversationId);
  }

  async erase(conversationId: string): Promise<void> {
    // In place, as LSET does in Redis: the entry keeps its retention period.
    const log = this.logs.get(conversationId);
    log?.fill(ERASED);
  }

  private notify(conversationId: string): void {
    for (const listener of [...(this.listeners.get(conversationId) ?? [])]) {
      try {
        listener();
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

import type { ConversationLog, ConversationMeta, Logger, StoredActivities } from '../bot/ports';
import { SerialQueue } from '../bot/serialQueue';
import { isStoreUnavailable } from './storeUnavailable';
import { errorMessage } from '../bot/errorMessage';

type StoredActivity = Record<string, unknown>;

export interface FallbackLimits {
  /** conversations begun while the store was down, kept in this process */
  conversations: number;
  /** activities kept per conversation begun while the store was down (the oldest go first) */
  activitiesPerConversation: number;
  /** activities of stored conversations waiting in this process for the store to come back */
  heldActivities: number;
  /** a conversation kept in this process is forgotten after this long without use */
  idleMs: number;
  /** how often held activities are offered to the store again */
  flushEveryMs: number;
}

export const DEFAULT_FALLBACK_LIMITS: FallbackLimits = {
  conversations: 500,
  activitiesPerConversation: 100,
  heldActivities: 5000,
  idleMs: 30 * 60_000,
  flushEveryMs: 1000,
};

/** The store is down and this process cannot keep any more for it: callers answer 503. */
export class FallbackFullError extends Error {
  constructor(what: string) {
    super(`the store is not answering and the fallback log is full (${what})`);
    this.name = 'FallbackFullError';
  }
}

interface LocalConversation {
  meta: ConversationMeta;
  /** JSON, so what is stored is never shared with a caller */
  activities: string[];
  /** how many of the oldest were dropped: watermarks stay absolute */
  dropped: number;
  lastUsed: number;
}

interface Held {
  activities: StoredActivity[];
  /** the watermark the first activity is served at while the store is down; set on the first read */
  base?: number;
}

const unavailableOnly = (error: unknown): void => {
  if (!isStoreUnavailable(error)) throw error;
};

/**
 * The web chat's conversation log with a way through an outage of the shared store, so a pupil
 * always gets a reply (the safe "something has gone wrong" answer, or the crisis reply) instead
 * of a hang or a 500:
 *
 * - A conversation begun while the store is down is kept in this process (bounded in number and
 *   length, forgotten when idle). It works on this instance only, and keeps working here after
 *   the store is back.
 * - For a stored conversation, activities the store would not take are held here, served to the
 *   pupil's polls and stream from the watermark the client had, and written to the store once it
 *   answers again. Appends are idempotent by activity id, so writing them again is safe
 *   (at least once, each activity in the log once).
 *
 * Nothing here outlives the process: an instance killed during an outage loses what it held.
 */
export class FallbackConversationLog implements ConversationLog {
  private readonly local = new Map<string, LocalConversation>();
  private readonly held = new Map<string, Held>();
  private heldCount = 0;
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly serial = new SerialQueue();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly inner: ConversationLog,
    private readonly logger: Logger,
    private readonly limits: FallbackLimits = DEFAULT_FALLBACK_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** true for a conversation begun while the store was down, kept in this process */
  isLocal(conversationId: string): boolean {
    return this.localConversation(conversationId) !== undefined;
  }

  /** activities waiting here for the store, over all conversations */
  get heldActivities(): number {
    return this.heldCount;
  }

  /** Keeps a new conversation in this process, as when the store is down. */
  createLocal(meta: ConversationMeta): void {
    this.forgetIdle();
    if (this.local.size >= this.limits.conversations) throw new FallbackFullError(`${this.limits.conversations} conversations`);
    this.local.set(meta.conversationId, { meta: { ...meta }, activities: [], dropped: 0, lastUsed: this.now() });
    this.logger.warn('conversation begun while the store is down: kept in this process', { conversationId: meta.conversationId });
  }

  async create(meta: ConversationMeta): Promise<void> {
    try {
      await this.inner.create(meta);
    } catch (error) {
      unavailableOnly(error);
      this.createLocal(meta);
    }
  }

  async getMeta(conversationId: string): Promise<ConversationMeta | undefined> {
    const local = this.localConversation(conversationId);
    return local ? { ...local.meta } : this.inner.getMeta(conversationId);
  }

  async markStarted(conversationId: string): Promise<boolean> {
    const local = this.localConversation(conversationId);
    if (local) {
      if (local.meta.started) return false;
      local.meta.started = true;
      return true;
    }
    // Down: a stored conversation has almost always been started already; no second welcome.
    return this.inner.markStarted(conversationId).catch((error: unknown) => {
      unavailableOnly(error);
      return false;
    });
  }

  async append(conversationId: string, activities: StoredActivity[]): Promise<number> {
    const local = this.localConversation(conversationId);
    if (local) return this.appendLocal(conversationId, local, activities).length;
    return this.serial.run(conversationId, async () => {
      if (!this.held.has(conversationId)) {
        try {
          const length = await this.inner.append(conversationId, activities);
          this.notify(conversationId);
          return length;
        } catch (error) {
          unavailableOnly(error);
        }
      }
      const held = this.hold(conversationId, activities);
      await this.flush(conversationId);
      return (held.base ?? 0) + held.activities.length;
    });
  }

  async appendIfNew(conversationId: string, activity: StoredActivity): Promise<boolean> {
    const local = this.localConversation(conversationId);
    if (local) return this.appendLocal(conversationId, local, [activity]).added > 0;
    return this.serial.run(conversationId, async () => {
      const waiting = this.held.get(conversationId);
      if (waiting) {
        if (waiting.activities.some((held) => held.id !== undefined && held.id === activity.id)) return false;
      } else {
        try {
          const added = await this.inner.appendIfNew(conversationId, activity);
          if (added) this.notify(conversationId);
          return added;
        } catch (error) {
          unavailableOnly(error);
        }
      }
      this.hold(conversationId, [activity]);
      await this.flush(conversationId);
      return true;
    });
  }

  /** Only for a stored conversation with nothing held here: held activities must reach the log first. */
  appendsWithState(conversationId: string): boolean {
    return !this.isLocal(conversationId) && !this.held.has(conversationId) && (this.inner.appendsWithState?.(conversationId) ?? false);
  }

  async read(conversationId: string, watermark: number, limit = 200): Promise<StoredActivities> {
    const local = this.localConversation(conversationId);
    if (local) {
      const from = Math.max(Number.isFinite(watermark) ? Math.floor(watermark) : 0, local.dropped, 0);
      const end = local.dropped + local.activities.length;
      const activities = local.activities.slice(from - local.dropped, from - local.dropped + Math.max(0, limit)).map((json) => JSON.parse(json));
      return { activities, watermark: Math.min(end, from + activities.length) };
    }
    if (this.held.has(conversationId)) await this.serial.run(conversationId, () => this.flush(conversationId));
    try {
      return await this.inner.read(conversationId, watermark, limit);
    } catch (error) {
      unavailableOnly(error);
    }
    // The store is down: what is held here, from where this client had got to.
    const from = Number.isFinite(watermark) ? Math.max(0, Math.floor(watermark)) : 0;
    const held = this.held.get(conversationId);
    if (!held) return { activities: [], watermark: from };
    held.base ??= from;
    const skip = Math.max(0, from - held.base);
    const activities = held.activities.slice(skip, skip + Math.max(0, limit)).map((activity) => JSON.parse(JSON.stringify(activity)));
    return { activities, watermark: Math.max(from, held.base + skip + activities.length) };
  }

  async subscribe(conversationId: string, listener: () => void): Promise<() => Promise<void>> {
    const set = this.listeners.get(conversationId) ?? new Set();
    this.listeners.set(conversationId, set);
    set.add(listener);
    const leaveHere = async () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(conversationId) === set) this.listeners.delete(conversationId);
    };
    if (this.isLocal(conversationId)) return leaveHere;
    // Appends made here are announced here as well; the store's channel brings other instances'.
    const leaveStore = await this.inner.subscribe(conversationId, listener).catch((error: unknown) => {
      unavailableOnly(error);
      return async () => undefined;
    });
    return async () => {
      await leaveHere();
      await leaveStore();
    };
  }

  async remove(conversationId: string): Promise<void> {
    this.local.delete(conversationId);
    const held = this.held.get(conversationId);
    if (held) this.heldCount -= held.activities.length;
    this.held.delete(conversationId);
    await this.inner.remove(conversationId);
  }

  /** Blanks the conversation's activities here and in the store ("delete my data"). */
  async erase(conversationId: string): Promise<void> {
    const local = this.local.get(conversationId);
    if (local) {
      local.dropped += local.activities.length;
      local.activities = [];
    }
    const held = this.held.get(conversationId);
    if (held) this.heldCount -= held.activities.length;
    this.held.delete(conversationId);
    if (!local) await this.inner.erase(conversationId);
  }

  /** Tries once more to write every held activity; resolves how many are still held. */
  async flushAll(): Promise<number> {
    await Promise.all([...this.held.keys()].map((id) => this.serial.run(id, () => this.flush(id))));
    return this.heldCount;
  }

  close(): void {
    this.stopTimer();
    if (this.heldCount > 0) this.logger.error('activities held for the store not written before shutdown', { activities: this.heldCount, conversations: this.held.size });
  }

  private localConversation(conversationId: string): LocalConversation | undefined {
    const local = this.local.get(conversationId);
    if (!local) return undefined;
    if (this.now() - local.lastUsed > this.limits.idleMs) {
      this.local.delete(conversationId);
      return undefined;
    }
    local.lastUsed = this.now();
    return local;
  }

  private appendLocal(conversationId: string, local: LocalConversation, activities: StoredActivity[]): { length: number; added: number } {
    const ids = new Set(local.activities.map((json) => JSON.parse(json).id).filter((id) => typeof id === 'string'));
    let added = 0;
    for (const activity of activities) {
      if (typeof activity.id === 'string') {
        if (ids.has(activity.id)) continue;
        ids.add(activity.id);
      }
      local.activities.push(JSON.stringify(activity));
      added += 1;
    }
    const over = local.activities.length - this.limits.activitiesPerConversation;
    if (over > 0) {
      local.activities.splice(0, over);
      local.dropped += over;
    }
    if (added > 0) this.notify(conversationId);
    return { length: local.dropped + local.activities.length, added };
  }

  private hold(conversationId: string, activities: StoredActivity[]): Held {
    if (this.heldCount + activities.length > this.limits.heldActivities) throw new FallbackFullError(`${this.limits.heldActivities} held activities`);
    const held = this.held.get(conversationId) ?? { activities: [] };
    held.activities.push(...activities.map((activity) => JSON.parse(JSON.stringify(activity))));
    this.held.set(conversationId, held);
    this.heldCount += activities.length;
    if (!this.timer) {
      this.logger.warn('the store is not answering: web chat activities held in this process until it is back', { conversationId });
      this.timer = setInterval(() => void this.flushAll(), this.limits.flushEveryMs);
      this.timer.unref();
    }
    this.notify(conversationId);
    return held;
  }

  /** Runs inside the conversation's serial queue. */
  private async flush(conversationId: string): Promise<void> {
    const held = this.held.get(conversationId);
    if (!held) return;
    try {
      await this.inner.append(conversationId, held.activities);
    } catch (error) {
      if (!isStoreUnavailable(error)) this.logger.error('held activities could not be written', { conversationId, error: errorMessage(error) });
      return;
    }
    this.held.delete(conversationId);
    this.heldCount -= held.activities.length;
    this.logger.warn('held web chat activities written to the store', { conversationId, activities: held.activities.length });
    if (this.held.size === 0) this.stopTimer();
    this.notify(conversationId);
  }

  private forgetIdle(): void {
    const now = this.now();
    for (const [id, local] of this.local) if (now - local.lastUsed > this.limits.idleMs) this.local.delete(id);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Later, as a Redis message arrives later: a listener must not run inside the appender's call. */
  private notify(conversationId: string): void {
    setImmediate(() => this.deliver(conversationId));
  }

  private deliver(conversationId: string): void {
    for (const listener of [...(this.listeners.get(conversationId) ?? [])]) {
      try {
        listener();
      } catch (error) {
        this.logger.warn('conversation listener failed', { error: errorMessage(error) });
      }
    }
  }
}

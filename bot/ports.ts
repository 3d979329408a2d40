import type { Storage, StoreItem } from 'botbuilder';

/**
 * The ports the bot and its channels see. Redis and in-process implementations live in
 * adapters/redis and adapters/memory; one contract test suite runs against both.
 */

/**
 * An eTag a write may carry to say "this key must not exist yet". The turn pipeline uses it when
 * a turn read a key that was absent, so two first turns cannot both create the same state.
 * Real eTags are random hex strings and can never equal it.
 */
export const ETAG_MUST_NOT_EXIST = '!absent';

/** The message botbuilder's MemoryStorage rejects a stale write with; ours use the same. */
export function etagConflictMessage(key: string): string {
  return `Storage: error writing "${key}" due to eTag conflict.`;
}

export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(etagConflictMessage(key));
    this.name = 'EtagConflictError';
  }
}

/** An activity as the web chat log keeps it: plain JSON. */
export type StoredActivity = Record<string, unknown>;

/**
 * The writes of one turn, as a unit of work. The channel running a turn opens one
 * (`TurnCommits.open`) and hands it to the turn (bot/turnCommit.ts). While the turn runs, the web
 * chat channel holds the turn's replies in `replies` and the transcript recorder its lines in
 * `transcript`; the conversation state saves through `saveState`, which writes the state only if
 * no other turn has written it since this one read it, and may take what is held with it in the
 * same atomic step (one Lua script on Redis), emptying the lists. So a conversation's replies
 * enter its log in the order its turns committed, even with turns on two instances at once, and
 * a turn whose write is refused has written nothing. Whatever is still held after the turn (a
 * store that does not take it with the state, a turn that saved nothing, a reply sent after the
 * save), its owner appends then.
 */
export interface TurnCommit {
  readonly conversationId: string;
  /** web chat replies held for the commit, in order; only a channel whose log may take them with the state holds them here */
  readonly replies: StoredActivity[];
  /** transcript lines held for the commit, in order */
  readonly transcript: TranscriptEntry[];
  /** true once the conversation's data has been deleted in this turn: nothing more of it is written */
  readonly forgotten: boolean;
  /**
   * Writes `item` (its own `eTag` ignored) under `key` if the stored item's eTag is still
   * `expected` (ETAG_MUST_NOT_EXIST: if there is still none), with what is held when the store can
   * take it in the same step; resolves the new eTag. Rejects with EtagConflictError, writing
   * nothing and leaving what is held, when another turn has written first.
   */
  saveState(key: string, item: StoreItem, expected: string): Promise<string>;
  /** The pupil's data has just been deleted: drops the held transcript lines, and neither state nor lines are written after. */
  forget(): void;
}

export interface TurnCommits {
  open(conversationId: string): TurnCommit;
}

/** botbuilder Storage plus what the operators need: a liveness probe and a clean shutdown. */
export interface StateStorage extends Storage {
  ping(): Promise<void>;
}

/** A stored conversation of the web chat channel. */
export interface ConversationMeta {
  conversationId: string;
  userId: string;
  createdAt: string;
  /** true once the conversation has been started (the bot has been told the pupil joined). */
  started: boolean;
  /** the school the conversation was opened for (its web chat address); fixed for its life */
  school?: string;
}

export interface StoredActivities {
  activities: Record<string, unknown>[];
  /** the watermark to pass next time: the number of activities in the log. */
  watermark: number;
}

/**
 * The activity log of each web chat conversation: what the pupil and the bot said, in order.
 * Kept in the store with the retention TTL so any instance can serve any conversation.
 */
export interface ConversationLog {
  create(meta: ConversationMeta): Promise<void>;
  getMeta(conversationId: string): Promise<ConversationMeta | undefined>;
  /** Sets started=true; resolves true only for the one caller that changed it. */
  markStarted(conversationId: string): Promise<boolean>;
  /**
   * Appends in order; resolves the watermark after the last appended activity. An activity whose
   * `id` is already in the log is left out, so an append retried after a timeout adds it once.
   */
  append(conversationId: string, activities: StoredActivity[]): Promise<number>;
  /** Appends one activity unless one with its `id` is already there; resolves true when it was added. */
  appendIfNew(conversationId: string, activity: StoredActivity): Promise<boolean>;
  /**
   * True when the turn's commit may append this conversation's replies in the same step as its
   * state (TurnCommit.replies) instead of an append here: the log and the state share one store
   * and nothing of the conversation waits in this process. Without it, never.
   */
  appendsWithState?(conversationId: string): boolean;
  /** Activities from index `watermark` (0-based) on, at most `limit` of them. */
  read(conversationId: string, watermark: number, limit?: number): Promise<StoredActivities>;
  /** Calls `listener` after activities are appended to the conversation, from any instance. */
  subscribe(conversationId: string, listener: () => void): Promise<() => Promise<void>>;
  /** Removes everything of the conversation. */
  remove(conversationId: string): Promise<void>;
  /**
   * Blanks every activity logged so far (the pupil asked for their data to be deleted), keeping
   * the meta and the watermarks, so the pupil's page can still read what is appended after.
   * Blanked activities are never read back.
   */
  erase(conversationId: string): Promise<void>;
}

/** A small shared key-value for process-wide secrets (the token signing key). */
export interface SharedSecretStore {
  /** Returns the stored value, storing `candidate` first when none exists. */
  getOrCreate(name: string, candidate: string): Promise<string>;
}

export type QueuePriority = 'urgent' | 'high' | 'standard';
export const PRIORITY_ORDER: readonly QueuePriority[] = ['urgent', 'high', 'standard'];

/** CONTRACT.md's QueueItem, plus who claimed it. */
export interface QueueItem {
  conversationId: string;
  priority: QueuePriority;
  flags: string[];
  status: 'waiting' | 'claimed';
  /** ISO-8601 */
  waitingSince: string;
  channel: string;
  /** topic and flags only: never the pupil's own words */
  summary: string;
  claimedBy?: string;
  /** the pupil's school (additive to CONTRACT.md's QueueItem): advisers see only their schools' items */
  school: string;
}

export interface HandoffRequest {
  conversationId: string;
  flags: string[];
  /** the priority of the flags, worked out by the caller from CONTRACT.md's table */
  priority: QueuePriority;
  channel: string;
  summary: string;
  at: Date;
  /** the pupil's school; kept from the first request of an item */
  school: string;
  /**
   * false when an urgent request brings no new urgent reason: it only adds flags to an urgent
   * item whose alert has been raised already, so no new safeguarding alert is sent. Default true.
   */
  alert?: boolean;
}

export type ClaimResult = { ok: true; item: QueueItem } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'claimed'; claimedBy: string };

/** `not-held`: the item is open but `from` does not hold it (`claimedBy` says who does, if anyone). */
export type TransferResult = { ok: true; item: QueueItem } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'not-held'; claimedBy?: string };

/**
 * The hand-off queue: urgent first, then high, then standard, oldest first within each.
 * Asking twice for one conversation makes one item (flags merged, priority raised, place kept);
 * claiming is atomic across instances; a closed or cancelled item leaves the queue.
 */
export interface HandoffQueue {
  enqueue(request: HandoffRequest): Promise<QueueItem>;
  list(): Promise<QueueItem[]>;
  get(conversationId: string): Promise<QueueItem | undefined>;
  claim(conversationId: string, adviser: string): Promise<ClaimResult>;
  /**
   * Hands a claimed item from the adviser holding it to another (`to`), or back to the queue
   * (`null`: waiting again, in its old place); atomic, so only the holder can do it.
   */
  transfer(conversationId: string, from: string, to: string | null): Promise<TransferResult>;
  /** the adviser has finished: resolves false if it was not in the queue */
  close(conversationId: string): Promise<boolean>;
  /** the pupil no longer wants an adviser: only a waiting item can be cancelled */
  cancel(conversationId: string): Promise<boolean>;
  /** forgets the conversation's item altogether, open or closed (the pupil asked for their data to be deleted) */
  remove(conversationId: string): Promise<void>;
}

export interface TranscriptEntry {
  from: 'pupil' | 'bot' | 'adviser';
  text: string;
  /** ISO-8601 */
  timestamp: string;
}

/** What was said in a conversation, kept for the adviser for the retention period. */
export interface TranscriptStore {
  append(conversationId: string, entries: TranscriptEntry[]): Promise<void>;
  read(conversationId: string): Promise<TranscriptEntry[]>;
  remove(conversationId: string): Promise<void>;
}

/**
 * A small key-value store for short-lived records (sessions, throttles, accounts, references),
 * each written with its own time-to-live.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** adds one and (re)starts the TTL only when the key is new; resolves the new count */
  increment(key: string, ttlMs: number): Promise<number>;
  /** appends to a list and renews its TTL */
  push(key: string, value: string, ttlMs: number): Promise<void>;
  list(key: string): Promise<string[]>;
}

/** One school's counters for one ISO week, and the pick-up times (seconds) behind its percentiles. */
export interface WeekFigures {
  counts: Record<string, number>;
  pickupSeconds: number[];
}

/** At most this many pick-up times are kept per school and week (the latest). */
export const MAX_PICKUPS_PER_WEEK = 1000;

/**
 * Anonymous counts per school and ISO week ("2026-W48"), added to as things happen. They hold no
 * personal data, so they outlive the conversations' retention (two years).
 */
export interface InsightsStore {
  increment(school: string, week: string, fields: readonly string[]): Promise<void>;
  addPickup(school: string, week: string, seconds: number): Promise<void>;
  read(school: string, week: string): Promise<WeekFigures>;
}

/**
 * A safeguarding alert as its receiver gets it (CONTRACT.md "Safeguarding alerts"). It names the
 * conversation and its school, never the pupil's words, name or anything else about them: whoever
 * receives it opens the conversation in the adviser console.
 */
export interface SafeguardingAlert {
  type: 'safeguarding.alert' | 'safeguarding.escalation';
  /** stable across retries: receivers de-duplicate on it */
  alertId: string;
  conversationId: string;
  school: string;
  flags: string[];
  priority: QueuePriority;
  /** ISO-8601: the urgent queueing this alert is about (for an escalation, when the conversation joined the queue) */
  queuedAt: string;
  /** whether the school's advisers were off duty when the alert was made */
  outOfHours: boolean;
  consoleUrl: string;
  /** ISO-8601: when the alert was made */
  raisedAt: string;
  /** escalations only: which period of waiting this is (1, 2, ...) and the minutes waited unclaimed */
  escalation?: number;
  waitedMinutes?: number;
}

/** Which alert, and whose figures it counts in. */
export type AlertRef = Pick<SafeguardingAlert, 'alertId' | 'conversationId'>;

export type OutboxStatus = 'pending' | 'delivered' | 'dropped';

/** An alert in the outbox, with how its delivery is going. */
export interface OutboxEntry {
  alert: SafeguardingAlert;
  status: OutboxStatus;
  /** failed attempts so far */
  attempts: number;
  /** the last failure, as "HTTP 500" or an error code: never a URL or a secret */
  lastError?: string;
  deliveredAt?: string;
}

/** How a conversation's alerts have gone: shown in the adviser console. */
export interface AlertStats {
  /** alerts made for it and not dropped */
  sent: number;
  /** of those, how many a receiver has taken (2xx) */
  delivered: number;
  /** still being tried */
  pending: number;
  lastDeliveredAt?: string;
}

/**
 * The safeguarding alerts waiting to be delivered, shared by every instance. An alert is added
 * once (its id decides), then leased to one instance at a time for a POST: a lease that runs out
 * (the instance died mid-send) makes it due again, so delivery is at least once and no two
 * instances hold the same alert at the same time. Times are milliseconds of real time.
 */
export interface AlertOutbox {
  /** Adds a pending alert due at `dueMs` unless one with its id is there (in any state); resolves true when added. */
  add(alert: SafeguardingAlert, dueMs: number, attempts?: number): Promise<boolean>;
  /** Up to `limit` pending alerts due by `nowMs`, each leased to the caller until `leaseUntilMs`. */
  claimDue(nowMs: number, leaseUntilMs: number, limit: number): Promise<OutboxEntry[]>;
  /** A receiver took it; resolves false when it was not pending. */
  delivered(alert: AlertRef, atIso: string): Promise<boolean>;
  /** An attempt failed: counted, and due again at `dueMs`. Resolves false when it was not pending. */
  retryAt(alert: AlertRef, dueMs: number, error: string): Promise<boolean>;
  /** No longer wanted (an escalation of a conversation claimed since); resolves false when it was not pending. */
  drop(alert: AlertRef): Promise<boolean>;
  get(alertId: string): Promise<OutboxEntry | undefined>;
  /** Each conversation's figures; a conversation without alerts is left out. */
  stats(conversationIds: readonly string[]): Promise<Map<string, AlertStats>>;
}

/** One request taken from a rate limit: allowed, or refused with the whole seconds until one is. */
export type RateCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A rate limit counted per key (a conversation, a client address). */
export interface RateLimit {
  /** false when the limit is switched off (0 a minute): every request is allowed and nothing is counted */
  readonly enabled: boolean;
  take(key: string): Promise<RateCheck>;
}

/**
 * Where rate limits are counted: on Redis, shared by every instance (each falling back to its own
 * count while Redis is down); in memory, by this process alone.
 */
export interface RateLimits {
  /** The limit `name` (its own counts) of `perMinute` requests a minute per key; 0 switches it off. */
  limit(name: string, perMinute: number): RateLimit;
}

export interface Stores {
  kind: 'memory' | 'redis';
  keyValue: KeyValueStore;
  state: StateStorage;
  conversations: ConversationLog;
  secrets: SharedSecretStore;
  queue: HandoffQueue;
  transcripts: TranscriptStore;
  insights: InsightsStore;
  alerts: AlertOutbox;
  /** units of work for the turns (state, replies and transcript committed together) */
  commits: TurnCommits;
  /** rate limits counted in this store */
  rateLimits: RateLimits;
  /** Resolves when the backing store answers; rejects with a reason when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export type LogFields = Record<string, unknown>;

/**
 * Structured logging. Callers never pass a pupil's message text; fields named like secrets
 * (password, token, key, cookie) are replaced by the logger.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

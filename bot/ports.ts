import type { Storage } from 'botbuilder';

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

/**
 * A state item's JSON text (without its eTag), carried beside the item so it is not made twice.
 * Two marks, so a text can never be taken for a changed item: a store that reads the text may put
 * it on the item it returns as READ_JSON, which only the bot's state looks at, when it loads; the
 * bot's state puts the text it has just made on an item it writes as WRITE_JSON, which the store
 * keeps as it is. Neither is enumerable, so neither reaches JSON or a copy; a store or a state
 * that knows nothing of them works as before (stock botbuilder state writing back an item it read
 * carries no WRITE_JSON, so the store stringifies it).
 */
export const READ_JSON: unique symbol = Symbol('state item JSON as read');
export const WRITE_JSON: unique symbol = Symbol('state item JSON to write');

/** The marks a state item may carry beside its data: READ_JSON, WRITE_JSON, WITH_REPLIES and WITH_TRANSCRIPT (below). */
type Mark = typeof READ_JSON | typeof WRITE_JSON | typeof WITH_REPLIES | typeof WITH_TRANSCRIPT;

/** Puts a value on an item under a mark: not enumerable (so it never reaches JSON or a copy), replaceable. */
function carry(item: object, mark: Mark, value: unknown): void {
  Object.defineProperty(item, mark, { value, enumerable: false, configurable: true, writable: true });
}

/** Takes a mark, whatever it carries, off an item. */
export function dropMark(item: object, mark: Mark): void {
  delete (item as Record<symbol, unknown>)[mark];
}

/** Puts an item's JSON text on it under a mark. */
export function carryJson(item: object, mark: typeof READ_JSON | typeof WRITE_JSON, json: string): void {
  carry(item, mark, json);
}

/** The JSON text an item carries under a mark, if any. */
export function carriedJson(item: object | undefined, mark: typeof READ_JSON | typeof WRITE_JSON): string | undefined {
  const json: unknown = item ? (item as Record<symbol, unknown>)[mark] : undefined;
  return typeof json === 'string' ? json : undefined;
}

/**
 * A turn's replies, appended to the conversation's log in the same step as the turn's state
 * commit, so the log's order always follows the order turns committed in: two instances running
 * turns of one conversation at once cannot swap their replies.
 *
 * The web chat channel puts its outbox in turnState under HELD_REPLIES when its log allows it
 * (ConversationLog.appendsWithState). The bot's state hands what the outbox holds to the store
 * with its write, on the item under the WITH_REPLIES mark (not enumerable, so it never reaches
 * JSON); a store that appends them in the same atomic step as the write sets `committed`, and the
 * bot's state then takes them out of the outbox. Whatever is left there (a store that cannot, a
 * write that changed nothing, replies sent after the save) the channel appends after the turn,
 * as before.
 */
export const HELD_REPLIES: unique symbol = Symbol('replies held for the state commit');
export const WITH_REPLIES: unique symbol = Symbol('replies to append with this write');

export interface HeldReplies {
  conversationId: string;
  /** the channel's outbox: replies not yet in the log, in order */
  outbox: Record<string, unknown>[];
}

/** What a state item to write carries under WITH_REPLIES or WITH_TRANSCRIPT: items to append in the same step. */
export interface WithWrite<T> {
  conversationId: string;
  items: T[];
  /** set by a store that appended `items` in the same step as the write */
  committed: boolean;
}

export type RepliesWithWrite = WithWrite<Record<string, unknown>>;

/** Puts replies to append with the write on a state item. */
export function carryReplies(item: object, replies: RepliesWithWrite): void {
  carry(item, WITH_REPLIES, replies);
}

/** The replies a state item to write carries, if any. */
export function carriedReplies(item: object | undefined): RepliesWithWrite | undefined {
  return carried<RepliesWithWrite>(item, WITH_REPLIES);
}

function carried<T extends object>(item: object | undefined, mark: Mark): T | undefined {
  const value: unknown = item ? (item as Record<symbol, unknown>)[mark] : undefined;
  return typeof value === 'object' && value !== null ? (value as T) : undefined;
}

/**
 * The turn's transcript lines, written in the same step as the turn's state commit, as the
 * replies are (above): one call to the store a turn instead of two. The transcript recorder puts
 * the lines it holds in turnState under HELD_TRANSCRIPT; the bot's state hands them to the store
 * with its write under WITH_TRANSCRIPT; a store that writes them in the same atomic step sets
 * `committed`, and the bot's state takes them out of the recorder's list. Whatever is left (a
 * store that cannot, a write that changed nothing, lines of replies sent after the save) the
 * recorder appends after the turn, as before.
 */
export const HELD_TRANSCRIPT: unique symbol = Symbol('transcript lines held for the state commit');
export const WITH_TRANSCRIPT: unique symbol = Symbol('transcript lines to append with this write');

export interface HeldTranscript {
  conversationId: string;
  /** the recorder's lines not yet written, in order */
  entries: TranscriptEntry[];
}

export type TranscriptWithWrite = WithWrite<TranscriptEntry>;

/** Puts transcript lines to append with the write on a state item. */
export function carryTranscript(item: object, transcript: TranscriptWithWrite): void {
  carry(item, WITH_TRANSCRIPT, transcript);
}

/** The transcript lines a state item to write carries, if any. */
export function carriedTranscript(item: object | undefined): TranscriptWithWrite | undefined {
  return carried<TranscriptWithWrite>(item, WITH_TRANSCRIPT);
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
  append(conversationId: string, activities: Record<string, unknown>[]): Promise<number>;
  /** Appends one activity unless one with its `id` is already there; resolves true when it was added. */
  appendIfNew(conversationId: string, activity: Record<string, unknown>): Promise<boolean>;
  /**
   * True when the state store may append this conversation's replies in the same step as a state
   * commit (see HELD_REPLIES) instead of an append here: the log and the state share one store
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

/**
 * Every Redis key (and pub/sub channel) the stores use, named in one place. On a Redis Cluster a
 * key's slot is the hash of its hash tag, the text between the first `{` and the next `}`, when
 * it has one. The prefix never holds a brace (config.ts), so each tag here is the key's first.
 *
 * - One conversation's keys (state, web chat log and meta, notify channel, transcript) carry the
 *   tag `{<conversationId>}`: a turn's commit script touches several of them, and a script's keys
 *   must share a slot. Conversations spread over the cluster by their ids.
 * - The hand-off queue's items and its open set carry `{queue}`: its scripts touch an item and the
 *   set together, and an adviser's queue view reads them all. One slot on purpose: it holds only
 *   the conversations waiting for or with an adviser.
 * - The alert outbox's keys carry `{alerts}` for the same reason (its scripts touch an alert, the
 *   due set and the conversation's counters together); it holds only safeguarding alerts.
 * - Everything else is read and written one key at a time, so it needs no tag and spreads over
 *   the cluster by name: the shared reply bodies and transcript texts (written in their own step
 *   before a turn's commit, never inside its script), insights per school and week, adviser
 *   accounts, sessions and the other key-value records, and shared secrets.
 *
 * docs/redis-cluster.md says the same for operators.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {
    if (/[{}]/.test(prefix)) throw new RangeError('RedisKeys: the key prefix must not contain { or }');
  }

  /** The hash tag of one conversation's keys. */
  static conversationTag(conversationId: string): string {
    return `{${conversationId}}`;
  }

  /**
   * A botbuilder state item. ConversationState keys an item `<channel>/conversations/<id>/<namespace>`:
   * that conversation's tag goes first, so the item shares its slot with the conversation's log and
   * transcript (a turn's commit writes them together). Any other key is kept under its own name.
   */
  state(storageKey: string): string {
    const match = /^([^/]*)\/conversations\/(.+)\/([^/]*)$/.exec(storageKey);
    if (!match) return `${this.prefix}state:${storageKey}`;
    const [, channel, conversationId, namespace] = match;
    return `${this.prefix}state:${RedisKeys.conversationTag(conversationId)}:${channel}/${namespace}`;
  }

  /** A web chat conversation's meta hash. */
  logMeta(conversationId: string): string {
    return `${this.prefix}dl:${RedisKeys.conversationTag(conversationId)}:meta`;
  }

  /** A web chat conversation's activity list. */
  log(conversationId: string): string {
    return `${this.prefix}dl:${RedisKeys.conversationTag(conversationId)}:log`;
  }

  /** The pub/sub channel an append to a conversation's log is announced on. */
  logChannel(conversationId: string): string {
    return `${this.prefix}dl:${RedisKeys.conversationTag(conversationId)}:notify`;
  }

  /** A conversation's transcript list. */
  transcript(conversationId: string): string {
    return `${this.prefix}transcript:${RedisKeys.conversationTag(conversationId)}`;
  }

  /** The bot's reply bodies, kept once for every conversation (SharedBodies). */
  get replyBodies(): string {
    return `${this.prefix}dl:bodies`;
  }

  /** The bot's transcript lines, kept once for every conversation (SharedBodies). */
  get transcriptTexts(): string {
    return `${this.prefix}transcript:texts`;
  }

  /** A conversation's hand-off queue item. */
  queueItem(conversationId: string): string {
    return `${this.prefix}{queue}:item:${conversationId}`;
  }

  /** The open hand-off queue items' ids, in queue order. */
  get queueOpen(): string {
    return `${this.prefix}{queue}:open`;
  }

  alert(alertId: string): string {
    return `${this.prefix}{alerts}:alert:${alertId}`;
  }

  get alertsDue(): string {
    return `${this.prefix}{alerts}:due`;
  }

  /** A conversation's alert counters: in the outbox's slot, since its scripts update them with the alert. */
  alertCounters(conversationId: string): string {
    return `${this.prefix}{alerts}:conversation:${conversationId}`;
  }

  insightsCounts(school: string, week: string): string {
    return `${this.prefix}insights:${school}:${week}`;
  }

  insightsPickups(school: string, week: string): string {
    return `${this.prefix}insights:${school}:${week}:pickups`;
  }

  /** A key-value record (adviser accounts and sessions, references, notes, locks...). */
  keyValue(key: string): string {
    return `${this.prefix}kv:${key}`;
  }

  secret(name: string): string {
    return `${this.prefix}secret:${name}`;
  }

  /** The start of one rate limit's keys; rate-limiter-flexible adds `:<key>` (one key per command, any slot). */
  rateLimit(name: string): string {
    return `${this.prefix}rl:${name}`;
  }
}

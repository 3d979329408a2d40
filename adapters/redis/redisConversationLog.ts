import type { Result } from 'ioredis';
import type { RedisKeys } from './keys';
import type { RedisClient } from './redisClient';
import type { ConversationLog, ConversationMeta, StoredActivities } from '../../bot/ports';
import { bodyReference, compactPrefix, decodeActivity, encodeActivity, parseEntry } from './activityCodec';
import type { RedisChannels } from './redisChannels';
import { SharedBodies } from './sharedBodies';

/** A watermark or limit from a request: negative, fractional or NaN values must not reach LRANGE. */
const count = (value: number, fallback: number): number => (Number.isFinite(value) ? Math.max(0, Math.floor(value)) : fallback);

/** What an erased activity becomes: it keeps its place (and so every watermark) but says nothing. */
const ERASED = '{"erased":true}';

/** How far back an append looks for an activity it has already stored (retries come soon after). */
const RECENT = 64;

/**
 * The append, as Lua to run inside a script: its keys (log, meta) are KEYS[k + 1] and KEYS[k + 2];
 * its arguments from ARGV[a + 1] on (`a` a number, or a Lua expression for one that an earlier
 * part of the script has worked out): ttl ms, channel, then (JSON marker or '', compact prefix or
 * '', entry) triples. Appends each entry whose id is not in the last RECENT entries (a JSON entry
 * holding the marker, or a compact line whose id field is the prefix), renews the TTLs and
 * announces the append. The shared reply bodies the entries refer to are stored before, in their
 * own step (SharedBodies.store): a script keeps to the conversation's slot. Leaves `logKey` and
 * `added` (how many were appended) for what follows it.
 */
export function appendOnceLua(k: number, a: number | string): string {
  return `
local logKey, metaKey = KEYS[${k + 1}], KEYS[${k + 2}]
local logBase = ${a}
local ttl, channel = ARGV[logBase + 1], ARGV[logBase + 2]
local at = logBase + 3
local recent = nil
local added = 0
while at <= #ARGV do
  local marker, prefix, entry = ARGV[at], ARGV[at + 1], ARGV[at + 2]
  local seen = false
  if marker ~= '' then
    recent = recent or redis.call('LRANGE', logKey, -${RECENT}, -1)
    for _, old in ipairs(recent) do
      if string.byte(old, 1) == 123 then
        if string.find(old, marker, 1, true) then seen = true end
      elseif prefix ~= '' and string.sub(old, 2, #prefix + 1) == prefix then
        seen = true
      end
      if seen then break end
    end
  end
  if not seen then
    redis.call('RPUSH', logKey, entry)
    if recent then table.insert(recent, entry) end
    added = added + 1
  end
  at = at + 3
end
if added > 0 then
  redis.call('PEXPIRE', logKey, ttl)
  redis.call('PEXPIRE', metaKey, ttl)
  redis.call('PUBLISH', channel, '1')
end`;
}

/** KEYS and ARGV as appendOnceLua(0, 0) takes them. Returns {length, added}. */
const appendOnce = `${appendOnceLua(0, 0)}
return {redis.call('LLEN', logKey), added}`;

/** An append ready to send, alone or inside another script, once `storeBodies` (if any) has succeeded. */
export interface PreparedAppend {
  keys: [log: string, meta: string];
  args: (string | number)[];
  /** the shared bodies' write, to await before the script; undefined when this process wrote them all lately */
  storeBodies: Promise<void> | undefined;
}

/**
 * A page of the log in one request: KEYS[1] the log; ARGV[1] the first index, ARGV[2] the last
 * (or '' to read no range). Returns {length, entries}.
 */
const readPage = `
local length = redis.call('LLEN', KEYS[1])
if ARGV[2] == '' then return {length, {}} end
return {length, redis.call('LRANGE', KEYS[1], ARGV[1], ARGV[2])}`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    appendOnce(log: string, meta: string, ...args: (string | number)[]): Result<[number, number], Context>;
    readPage(log: string, first: number, last: number | ''): Result<[number, string[]], Context>;
  }
}

/**
 * Each web chat conversation: a meta hash and an activity list, both with the retention TTL,
 * and an append skips an activity whose id is already among the last entries, so one retried after a timeout or an outage
 * (at least once) puts each activity in the log once. Appends are announced on a pub/sub channel
 * so a stream on any instance hears of them.
 */
export class RedisConversationLog implements ConversationLog {
  private readonly bodies: SharedBodies;

  constructor(
    private readonly client: RedisClient,
    private readonly channels: RedisChannels,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {
    client.defineCommand('appendOnce', { numberOfKeys: 2, lua: appendOnce });
    client.defineCommand('readPage', { numberOfKeys: 1, lua: readPage });
    this.bodies = new SharedBodies(client, keys.replyBodies, ttlMs);
  }

  private metaKey(id: string): string {
    return this.keys.logMeta(id);
  }

  private logKey(id: string): string {
    return this.keys.log(id);
  }

  private channel(id: string): string {
    return this.keys.logChannel(id);
  }

  async create(meta: ConversationMeta): Promise<void> {
    const created = await this.client.createMeta(
      this.metaKey(meta.conversationId),
      this.ttlMs,
      'conversationId',
      meta.conversationId,
      'userId',
      meta.userId,
      'createdAt',
      meta.createdAt,
      'started',
      meta.started ? '1' : '0',
      ...(meta.school ? ['school', meta.school] : []),
    );
    if (created !== 1) throw new Error(`ConversationLog.create(): conversation ${meta.conversationId} already exists`);
  }

  async getMeta(conversationId: string): Promise<ConversationMeta | undefined> {
    const fields = await this.client.hgetall(this.metaKey(conversationId));
    if (!fields.conversationId) return undefined;
    return {
      conversationId: fields.conversationId,
      userId: fields.userId ?? '',
      createdAt: fields.createdAt ?? '',
      started: fields.started === '1',
      ...(fields.school ? { school: fields.school } : {}),
    };
  }

  async markStarted(conversationId: string): Promise<boolean> {
    return (await this.client.markStarted(this.metaKey(conversationId))) === 1;
  }

  async append(conversationId: string, activities: Record<string, unknown>[]): Promise<number> {
    if (activities.length === 0) return this.client.llen(this.logKey(conversationId));
    const [length] = await this.appendEach(conversationId, activities);
    return length;
  }

  async appendIfNew(conversationId: string, activity: Record<string, unknown>): Promise<boolean> {
    const [, added] = await this.appendEach(conversationId, [activity]);
    return added > 0;
  }

  /** A turn's commit (same Redis) can append the turn's replies in its script (see prepareAppend). */
  appendsWithState(): boolean {
    return true;
  }

  /**
   * The keys and arguments of an append of `activities` (appendOnceLua's), for this log's own
   * script or a turn's commit (RedisTurnCommits), and the write of the shared bodies it refers to
   * (already started: await it before the script).
   */
  prepareAppend(conversationId: string, activities: Record<string, unknown>[]): PreparedAppend {
    const encoded = activities.map((activity) => {
      const { entry, body } = encodeActivity(conversationId, activity);
      const { marker, prefix } = idMarkers(conversationId, activity);
      return { entry, body, marker, prefix };
    });
    const bodies = new Map(encoded.flatMap(({ body }) => (body ? [[body.ref, body.json] as const] : [])));
    return {
      keys: [this.logKey(conversationId), this.metaKey(conversationId)],
      args: [this.ttlMs, this.channel(conversationId), ...encoded.flatMap(({ marker, prefix, entry }) => [marker, prefix, entry])],
      storeBodies: this.bodies.store(bodies),
    };
  }

  private async appendEach(conversationId: string, activities: Record<string, unknown>[]): Promise<[number, number]> {
    const append = this.prepareAppend(conversationId, activities);
    if (append.storeBodies) await append.storeBodies;
    return this.client.appendOnce(...append.keys, ...append.args);
  }

  async read(conversationId: string, watermark: number, limit = 200): Promise<StoredActivities> {
    const from = count(watermark, 0);
    const take = count(limit, 200);
    // One script rather than LLEN and LRANGE: a poll's read is one request and one write to the
    // socket, which is most of what a command costs this process (more so on a cluster, where each
    // command is also routed to its slot). LRANGE from..from-1 would mean "everything" when from
    // is 0, so a zero limit reads no range.
    const reply: unknown = await this.client.readPage(this.logKey(conversationId), from, take > 0 ? from + take - 1 : '');
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || !Array.isArray(reply[1])) throw new Error('ConversationLog.read(): unexpected reply from Redis');
    const [length, items] = reply as [number, unknown[]];
    if (from >= length) return { activities: [], watermark: length };
    const entries: Record<string, unknown>[] = items.filter((json) => json !== ERASED).map((line) => parseEntry(conversationId, String(line)));
    const bodies = await this.bodies.get(entries.flatMap((entry) => bodyReference(entry) ?? []));
    const activities = entries.flatMap((entry) => {
      const ref = bodyReference(entry);
      // A reply whose shared body is gone (a Redis that lost its data, without persistence) is
      // left out, rather than failing every read of the conversation from then on.
      return ref && !bodies.has(ref) ? [] : [decodeActivity(conversationId, entry, bodies)];
    });
    return { activities, watermark: from + items.length };
  }

  subscribe(conversationId: string, listener: () => void): Promise<() => Promise<void>> {
    return this.channels.listen(this.channel(conversationId), listener);
  }

  async remove(conversationId: string): Promise<void> {
    // One slot (the conversation's tag), so one DEL even on a cluster.
    await this.client.del(this.metaKey(conversationId), this.logKey(conversationId));
  }

  async erase(conversationId: string): Promise<void> {
    await this.client.blankAll(this.logKey(conversationId), ERASED);
  }
}

/**
 * The activity's id as a stored entry spells it, which an append looks for to skip a repeat: in
 * a JSON entry (`marker`) and at the start of a compact line (`prefix`).
 */
function idMarkers(conversationId: string, activity: Record<string, unknown>): { marker: string; prefix: string } {
  const { id } = activity;
  if (typeof id !== 'string' || id === '') return { marker: '', prefix: '' };
  if (!id.startsWith(`${conversationId}|`)) return { marker: `"id":${JSON.stringify(id)}`, prefix: '' };
  const suffix = id.slice(conversationId.length + 1);
  return { marker: `"~i":${JSON.stringify(suffix)}`, prefix: compactPrefix(suffix) };
}

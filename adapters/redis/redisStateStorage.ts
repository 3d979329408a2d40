import type { Redis, Result } from 'ioredis';
import type { StoreItem, StoreItems } from 'botbuilder';
import { carriedJson, carriedReplies, carriedTranscript, carryJson, EtagConflictError, READ_JSON, WRITE_JSON, type StateStorage, type TranscriptEntry } from '../../bot/ports';
import { appendOnceLua, type PreparedAppend } from './redisConversationLog';
import { transcriptAppendLua, type PreparedTranscript } from './redisTranscripts';
import { redisUnavailable, withTimeout } from './redisErrors';
import { casWriteLua, writeMode } from './scripts';
import { randomHex } from '../randomHex';

/**
 * casWrite and then, only if it wrote, the conversation log's append (KEYS[2] to KEYS[4], its
 * arguments from ARGV[6]), in one step. {1, log length, appended} written, {0} conflict.
 */
const casWriteAppend = `${casWriteLua('{0}')}
${appendOnceLua(1, 5)}
return {1, redis.call('LLEN', logKey), added}`;

/** casWrite and then, only if it wrote, the transcript's append (KEYS[2] and KEYS[3], ARGV from 6). {1} written, {0} conflict. */
const casWriteTranscript = `${casWriteLua('{0}')}
${transcriptAppendLua(1, 5)}
return {1}`;

/** casWrite, then the transcript's append, then the log's (KEYS[4] to KEYS[6], ARGV after the transcript's). As casWriteAppend. */
const casWriteTranscriptAppend = `${casWriteLua('{0}')}
${transcriptAppendLua(1, 5)}
${appendOnceLua(3, 'transcriptEnd')}
return {1, redis.call('LLEN', logKey), added}`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    casWriteAppend(key: string, log: string, meta: string, bodies: string, ...args: (string | number | Buffer)[]): Result<number[], Context>;
    casWriteTranscript(key: string, transcript: string, texts: string, ...args: (string | number | Buffer)[]): Result<number[], Context>;
    casWriteTranscriptAppend(key: string, transcript: string, texts: string, log: string, meta: string, bodies: string, ...args: (string | number | Buffer)[]): Result<number[], Context>;
  }
}

/** What the state store needs of the web chat log to append a turn's replies with its commit. */
export interface CommitLog {
  prepareAppend(conversationId: string, activities: Record<string, unknown>[]): PreparedAppend;
}

/** What the state store needs of the transcripts to append a turn's lines with its commit. */
export interface CommitTranscripts {
  prepareAppend(conversationId: string, entries: TranscriptEntry[]): PreparedTranscript;
}

/**
 * botbuilder Storage on Redis with MemoryStorage's contract: eTag '*' or none overwrites, a
 * matching eTag writes, anything else is refused; a given eTag for a missing key and
 * ETAG_MUST_NOT_EXIST for a present one are refused too. Each item is a hash {v: value, e: eTag},
 * the value its plain JSON; the compare-and-set is one Lua script, and every write renews the
 * retention TTL. Given the web chat log and the transcripts, a write that carries a turn's
 * replies or transcript lines appends them in that same script, only if it wrote, so the log's
 * order follows the commits.
 */
export class RedisStateStorage implements StateStorage {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
    /** when given, a write carrying replies (WITH_REPLIES) appends them to this log in the same script */
    private readonly log?: CommitLog,
    /** when given, a write carrying transcript lines (WITH_TRANSCRIPT) appends them in the same script */
    private readonly transcripts?: CommitTranscripts,
  ) {
    if (log) client.defineCommand('casWriteAppend', { numberOfKeys: 4, lua: casWriteAppend });
    if (transcripts) client.defineCommand('casWriteTranscript', { numberOfKeys: 3, lua: casWriteTranscript });
    if (log && transcripts) client.defineCommand('casWriteTranscriptAppend', { numberOfKeys: 6, lua: casWriteTranscriptAppend });
  }

  private key(key: string): string {
    return `${this.prefix}state:${key}`;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    // Plain commands, not a Pipeline: a Pipeline object is costly to make (it copies every defined
    // script), and commands go out without waiting for each other's replies anyway.
    const fields = await Promise.all(keys.map((key) => this.client.hmget(this.key(key), 'v', 'e')));
    const found: StoreItems = {};
    keys.forEach((key, index) => {
      const [json, eTag] = Array.isArray(fields[index]) ? fields[index] : [];
      if (typeof json !== 'string') return;
      // The parsed object itself, given its eTag: a copy made with a spread, then an eTag added,
      // costs microseconds more on Node 20 (see adapters/withFields).
      const parsed: unknown = JSON.parse(json);
      const item: StoreItem = isPlainRecord(parsed) ? parsed : { ...(parsed as object) };
      (item as Record<string, unknown>).eTag = eTag;
      // the text as read, so the bot's state need not stringify the item again to see later whether it changed
      carryJson(item, READ_JSON, json);
      found[key] = item;
    });
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    // Random, never a counter: a counter could come back to a value a stale writer still holds.
    const fresh = entries.map(() => randomHex(8));
    const written = await Promise.all(
      entries.map(async ([key, change], index) => {
        const eTag: unknown = change?.eTag;
        // The bot's state hands over the text it has just made of this item (see WRITE_JSON).
        const json = carriedJson(change, WRITE_JSON) ?? withoutEtag(change);
        const cas = [writeMode(eTag), String(eTag ?? ''), json, fresh[index], this.ttlMs] as const;
        // A web chat turn's replies and the turn's transcript lines, appended in the same step as
        // this write (see HELD_REPLIES and HELD_TRANSCRIPT).
        const replies = carriedReplies(change);
        const lines = carriedTranscript(change);
        const append = this.log && replies && replies.items.length > 0 ? this.log.prepareAppend(replies.conversationId, replies.items) : undefined;
        const transcript = this.transcripts && lines && lines.items.length > 0 ? this.transcripts.prepareAppend(lines.conversationId, lines.items) : undefined;
        if (!append && !transcript) return this.client.casWrite(this.key(key), ...cas);
        let result: number | undefined;
        if (append && transcript) [result] = await this.client.casWriteTranscriptAppend(this.key(key), ...transcript.keys, ...append.keys, ...cas, ...transcript.args, ...append.args);
        else if (append) [result] = await this.client.casWriteAppend(this.key(key), ...append.keys, ...cas, ...append.args);
        else if (transcript) [result] = await this.client.casWriteTranscript(this.key(key), ...transcript.keys, ...cas, ...transcript.args);
        if (result === 1) {
          append?.done();
          transcript?.done();
          if (append && replies) replies.committed = true;
          if (transcript && lines) lines.committed = true;
        }
        return result;
      }),
    );
    let conflict: EtagConflictError | undefined;
    entries.forEach(([key, change], index) => {
      if (written[index] !== 1) conflict ??= new EtagConflictError(key);
      // Report the new eTag on the written item, so a second save in the same turn can carry it
      // (bot/guardedConversationState relies on this).
      else if (change && !Object.isFrozen(change)) change.eTag = fresh[index];
    });
    if (conflict) throw conflict;
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length > 0) await this.client.del(...keys.map((key) => this.key(key)));
  }

  async ping(): Promise<void> {
    try {
      // Shorter than commandTimeout: a readiness probe must answer well within its own deadline.
      await withTimeout(this.client.ping(), 1500, 'PING');
    } catch (error) {
      throw redisUnavailable(error);
    }
  }
}

/** The JSON of an item without its eTag (which is kept beside it). */
function withoutEtag(change: StoreItem | undefined): string {
  const { eTag: _kept, ...value } = change ?? {};
  return JSON.stringify(value);
}

function isPlainRecord(value: unknown): value is StoreItem {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

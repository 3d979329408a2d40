import type { Result } from 'ioredis';
import type { RedisClient } from './redisClient';
import type { StoreItem } from 'botbuilder';
import { EtagConflictError, type StoredActivity, type TranscriptEntry, type TurnCommit, type TurnCommits } from '../../bot/ports';
import { appendOnceLua, type PreparedAppend } from './redisConversationLog';
import type { RedisStateStorage } from './redisStateStorage';
import { transcriptAppendLua, type PreparedTranscript } from './redisTranscripts';
import { casWriteLua } from './scripts';

/**
 * The state's compare-and-set and then, only if it wrote, the web chat log's append (KEYS[2] and
 * KEYS[3], its arguments from ARGV[6]), in one step. {1, log length, appended} written, {0} refused.
 */
const casWriteAppend = `${casWriteLua('{0}')}
${appendOnceLua(1, 5)}
return {1, redis.call('LLEN', logKey), added}`;

/** The compare-and-set and then, only if it wrote, the transcript's append (KEYS[2], ARGV from 6). {1} written, {0} refused. */
const casWriteTranscript = `${casWriteLua('{0}')}
${transcriptAppendLua(1, 5)}
return {1}`;

/** The compare-and-set, then the transcript's append, then the log's (KEYS[3] and KEYS[4], ARGV after the transcript's). As casWriteAppend. */
const casWriteTranscriptAppend = `${casWriteLua('{0}')}
${transcriptAppendLua(1, 5)}
${appendOnceLua(2, 'transcriptEnd')}
return {1, redis.call('LLEN', logKey), added}`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    casWriteAppend(key: string, log: string, meta: string, ...args: (string | number | Buffer)[]): Result<number[], Context>;
    casWriteTranscript(key: string, transcript: string, ...args: (string | number | Buffer)[]): Result<number[], Context>;
    casWriteTranscriptAppend(key: string, transcript: string, log: string, meta: string, ...args: (string | number | Buffer)[]): Result<number[], Context>;
  }
}

/** What a commit needs of the web chat log: an append it can run inside its own script. */
export interface CommitLog {
  prepareAppend(conversationId: string, activities: StoredActivity[]): PreparedAppend;
}

/** What a commit needs of the transcripts: an append it can run inside its own script. */
export interface CommitTranscripts {
  prepareAppend(conversationId: string, entries: TranscriptEntry[]): PreparedTranscript;
}

/**
 * Turn commits on Redis: the state's compare-and-set and the held replies and transcript lines in
 * one Lua script (one round trip, and atomic: another instance's turn cannot slip in between).
 * Every key the script touches carries the conversation's hash tag (RedisKeys), so on a cluster
 * it runs on the conversation's slot; the shared bodies and texts that replies and lines refer
 * to are written before it, in their own step, and only those this process has not written lately.
 */
export class RedisTurnCommits implements TurnCommits {
  constructor(
    private readonly client: RedisClient,
    private readonly state: RedisStateStorage,
    private readonly log: CommitLog,
    private readonly transcripts: CommitTranscripts,
  ) {
    client.defineCommand('casWriteAppend', { numberOfKeys: 3, lua: casWriteAppend });
    client.defineCommand('casWriteTranscript', { numberOfKeys: 2, lua: casWriteTranscript });
    client.defineCommand('casWriteTranscriptAppend', { numberOfKeys: 4, lua: casWriteTranscriptAppend });
  }

  open(conversationId: string): TurnCommit {
    return new RedisTurnCommit(conversationId, this.client, this.state, this.log, this.transcripts);
  }
}

class RedisTurnCommit implements TurnCommit {
  readonly replies: StoredActivity[] = [];
  readonly transcript: TranscriptEntry[] = [];
  forgotten = false;

  constructor(
    readonly conversationId: string,
    private readonly client: RedisClient,
    private readonly state: RedisStateStorage,
    private readonly log: CommitLog,
    private readonly transcripts: CommitTranscripts,
  ) {}

  async saveState(key: string, item: StoreItem, expected: string): Promise<string> {
    if (this.forgotten) return expected;
    const write = this.state.prepareWrite(key, item, expected);
    // Copies: what is held may grow while the script runs (a reply sent after the save).
    const replies = [...this.replies];
    const lines = [...this.transcript];
    const append = replies.length > 0 ? this.log.prepareAppend(this.conversationId, replies) : undefined;
    const transcript = lines.length > 0 ? this.transcripts.prepareAppend(this.conversationId, lines) : undefined;
    // Both shared writes (usually none) go out together, before the script that refers to them.
    if (append?.storeBodies && transcript?.storeTexts) await Promise.all([append.storeBodies, transcript.storeTexts]);
    else if (append?.storeBodies) await append.storeBodies;
    else if (transcript?.storeTexts) await transcript.storeTexts;
    let written: number | undefined;
    if (append && transcript) [written] = await this.client.casWriteTranscriptAppend(write.key, ...transcript.keys, ...append.keys, ...write.args, ...transcript.args, ...append.args);
    else if (append) [written] = await this.client.casWriteAppend(write.key, ...append.keys, ...write.args, ...append.args);
    else if (transcript) [written] = await this.client.casWriteTranscript(write.key, ...transcript.keys, ...write.args, ...transcript.args);
    else written = await this.client.casWrite(write.key, ...write.args);
    if (written !== 1) throw new EtagConflictError(key);
    // In the log and the transcript now: their owners must not append them again.
    this.replies.splice(0, replies.length);
    this.transcript.splice(0, lines.length);
    return write.eTag;
  }

  forget(): void {
    this.forgotten = true;
    this.transcript.length = 0;
  }
}

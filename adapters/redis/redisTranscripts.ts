import type { Result } from 'ioredis';
import type { RedisKeys } from './keys';
import type { RedisClient } from './redisClient';
import { z } from 'zod';
import type { TranscriptEntry, TranscriptStore } from '../../bot/ports';
import { compactTime, isoTime } from './compactTime';
import { SharedBodies } from './sharedBodies';

const Entry = z.object({ from: z.enum(['pupil', 'bot', 'adviser']), text: z.string(), timestamp: z.string() });
/** A bot line whose text (content, the same for every pupil) is kept once in the shared texts. */
const SharedBotEntry = z.object({ shared: z.string(), timestamp: z.string() });

/**
 * A line is kept as tab-separated fields when its time is in the usual ISO form (a base-36 count
 * of milliseconds then): `s <time> <shared text ref>` for a bot line, `p <time> <text>` and
 * `a <time> <text>` for the pupil's and the adviser's words (the text last, so it may hold tabs).
 * Anything else is JSON.
 */
const SEPARATOR = '\t';
const KIND = { pupil: 'p', adviser: 'a' } as const;
const FROM = { p: 'pupil', a: 'adviser' } as const;

/**
 * The append, as Lua to run inside a script: its key (the transcript) is KEYS[k + 1]; its
 * arguments from ARGV[a + 1] on: ttl ms, the number of lines, and the lines. The shared texts the
 * lines refer to are stored before, in their own step (SharedBodies.store): a script keeps to the
 * conversation's slot. Leaves `transcriptEnd`, the index of its last argument, for what follows it.
 */
export function transcriptAppendLua(k: number, a: number): string {
  return `
local transcriptKey = KEYS[${k + 1}]
local transcriptTtl = ARGV[${a + 1}]
local transcriptAt = ${a + 2}
local lines = tonumber(ARGV[transcriptAt])
if lines > 0 then
  redis.call('RPUSH', transcriptKey, unpack(ARGV, transcriptAt + 1, transcriptAt + lines))
  redis.call('PEXPIRE', transcriptKey, transcriptTtl)
end
local transcriptEnd = transcriptAt + lines`;
}

const APPEND = `${transcriptAppendLua(0, 0)}
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    transcriptAppend(transcript: string, ...args: (string | number)[]): Result<number, Context>;
  }
}

/** A transcript append ready to send, alone or inside another script, once `storeTexts` (if any) has succeeded. */
export interface PreparedTranscript {
  keys: [transcript: string];
  args: (string | number)[];
  /** the shared texts' write, to await before the script; undefined when this process wrote them all lately */
  storeTexts: Promise<void> | undefined;
}

type StoredLine = { shared: { shared: string; timestamp: string }; own?: undefined } | { own: TranscriptEntry; shared?: undefined };

/** A stored line, whichever form it was kept in: its own words, or a reference to a shared bot text. */
export function parseLine(raw: string): StoredLine {
  if (raw.startsWith('{')) {
    const json: unknown = JSON.parse(raw);
    const shared = SharedBotEntry.safeParse(json);
    return shared.success ? { shared: shared.data } : { own: Entry.parse(json) };
  }
  const kind = raw[0];
  const second = raw.indexOf(SEPARATOR, 2);
  if (raw[1] !== SEPARATOR || second < 0) throw new Error('TranscriptStore.read(): a line is in no known form');
  const timestamp = isoTime(raw.slice(2, second));
  const rest = raw.slice(second + 1);
  if (kind === 's') return { shared: { shared: rest, timestamp } };
  if (kind === 'p' || kind === 'a') return { own: { from: FROM[kind], text: rest, timestamp } };
  throw new Error('TranscriptStore.read(): a line is in no known form');
}

/**
 * Each conversation's transcript is a list with the retention TTL. The pupil's and the adviser's
 * words are kept in it as they are; the bot's lines, which are content, are kept once for all
 * conversations (see SharedBodies) and referred to.
 */
export class RedisTranscripts implements TranscriptStore {
  private readonly texts: SharedBodies;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: RedisKeys,
    private readonly ttlMs: number,
  ) {
    this.texts = new SharedBodies(client, keys.transcriptTexts, ttlMs);
    client.defineCommand('transcriptAppend', { numberOfKeys: 1, lua: APPEND });
  }

  private key(conversationId: string): string {
    return this.keys.transcript(conversationId);
  }

  async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const append = this.prepareAppend(conversationId, entries);
    if (append.storeTexts) await append.storeTexts;
    await this.client.transcriptAppend(...append.keys, ...append.args);
  }

  /**
   * The keys and arguments of an append of `entries` (transcriptAppendLua's), for this store's own
   * script or a turn's commit (RedisTurnCommits), and the write of the shared texts it refers to
   * (already started: await it before the script).
   */
  prepareAppend(conversationId: string, entries: TranscriptEntry[]): PreparedTranscript {
    const texts = new Map<string, string>();
    const stored = entries.map((entry) => {
      const time = compactTime(entry.timestamp);
      if (entry.from !== 'bot') return time ? [KIND[entry.from], time, entry.text].join(SEPARATOR) : JSON.stringify(entry);
      const json = JSON.stringify(entry.text);
      const shared = SharedBodies.reference(json);
      texts.set(shared, json);
      return time ? ['s', time, shared].join(SEPARATOR) : JSON.stringify({ shared, timestamp: entry.timestamp });
    });
    return {
      keys: [this.key(conversationId)],
      args: [this.ttlMs, stored.length, ...stored],
      storeTexts: this.texts.store(texts),
    };
  }

  async read(conversationId: string): Promise<TranscriptEntry[]> {
    const lines = (await this.client.lrange(this.key(conversationId), 0, -1)).map(parseLine);
    const texts = await this.texts.get(lines.flatMap((line) => (line.shared ? [line.shared.shared] : [])));
    // A bot line whose shared text is gone (a Redis that lost its data, without persistence) is
    // left out, as the web chat log leaves out such a reply, rather than failing every read.
    return lines.flatMap((line): TranscriptEntry[] => {
      if (!line.shared) return [line.own];
      const text = texts.get(line.shared.shared);
      return typeof text === 'string' ? [{ from: 'bot', text, timestamp: line.shared.timestamp }] : [];
    });
  }

  async remove(conversationId: string): Promise<void> {
    await this.client.del(this.key(conversationId));
  }
}

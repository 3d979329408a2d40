import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { TranscriptEntry, TranscriptStore } from '../../bot/ports';
import { SharedBodies } from './sharedBodies';

const Entry = z.object({ from: z.enum(['pupil', 'bot', 'adviser']), text: z.string(), timestamp: z.string() });
/** A bot line whose text (content, the same for every pupil) is kept once in the shared texts. */
const SharedBotEntry = z.object({ shared: z.string(), timestamp: z.string() });

/**
 * Each conversation's transcript is a list with the retention TTL. The pupil's and the adviser's
 * words are kept in it as they are; the bot's lines, which are content, are kept once for all
 * conversations (see SharedBodies) and referred to.
 */
export class RedisTranscripts implements TranscriptStore {
  private readonly texts: SharedBodies;

  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    this.texts = new SharedBodies(client, `${prefix}transcript:texts`, ttlMs);
  }

  private key(conversationId: string): string {
    return `${this.prefix}transcript:${conversationId}`;
  }

  async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.key(conversationId);
    const texts = new Map<string, string>();
    const stored = entries.map((entry) => {
      if (entry.from !== 'bot') return JSON.stringify(entry);
      const json = JSON.stringify(entry.text);
      const shared = SharedBodies.reference(json);
      texts.set(shared, json);
      return JSON.stringify({ shared, timestamp: entry.timestamp });
    });
    const multi = this.client.multi();
    const fresh = this.texts.addTo(multi, texts);
    const results = await multi.rpush(key, ...stored).pexpire(key, this.ttlMs).exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (!results || failed) throw failed ?? new Error('TranscriptStore.append(): the transaction was aborted');
    this.texts.markWritten(fresh);
  }

  async read(conversationId: string): Promise<TranscriptEntry[]> {
    const lines = (await this.client.lrange(this.key(conversationId), 0, -1)).map((raw) => {
      const json: unknown = JSON.parse(raw);
      const shared = SharedBotEntry.safeParse(json);
      return shared.success ? { shared: shared.data } : { own: Entry.parse(json) };
    });
    const texts = await this.texts.get(lines.flatMap((line) => (line.shared ? [line.shared.shared] : [])));
    return lines.map((line): TranscriptEntry => {
      if (!line.shared) return line.own;
      const text = texts.get(line.shared.shared);
      if (typeof text !== 'string') throw new Error(`TranscriptStore.read(): a bot line of conversation ${conversationId} is missing from the shared texts`);
      return { from: 'bot', text, timestamp: line.shared.timestamp };
    });
  }

  async remove(conversationId: string): Promise<void> {
    await this.client.del(this.key(conversationId));
  }
}

import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { TranscriptEntry, TranscriptStore } from '../../bot/ports';

const Entry = z.object({ from: z.enum(['pupil', 'bot', 'adviser']), text: z.string(), timestamp: z.string() });

export class RedisTranscripts implements TranscriptStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(conversationId: string): string {
    return `${this.prefix}transcript:${conversationId}`;
  }

  async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.key(conversationId);
    await this.client
      .multi()
      .rpush(key, ...entries.map((entry) => JSON.stringify(entry)))
      .pexpire(key, this.ttlMs)
      .exec();
  }

  async read(conversationId: string): Promise<TranscriptEntry[]> {
    const raws = await this.client.lrange(this.key(conversationId), 0, -1);
    return raws.map((raw) => Entry.parse(JSON.parse(raw)));
  }

  async remove(conversationId: string): Promise<void> {
    await this.client.del(this.key(conversationId));
  }
}

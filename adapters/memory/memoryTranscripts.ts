import type { TranscriptEntry, TranscriptStore } from '../../bot/ports';
import type { ExpiringMap } from './expiringMap';

export class MemoryTranscripts implements TranscriptStore {
  constructor(private readonly transcripts: ExpiringMap<TranscriptEntry[]>) {}

  async append(conversationId: string, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.transcripts.set(conversationId, [...(this.transcripts.get(conversationId) ?? []), ...structuredClone(entries)]);
  }

  async read(conversationId: string): Promise<TranscriptEntry[]> {
    return structuredClone(this.transcripts.get(conversationId) ?? []);
  }

  async remove(conversationId: string): Promise<void> {
    this.transcripts.delete(conversationId);
  }
}

import type { StoreItem } from 'botbuilder';
import type { StateStorage, StoredActivity, TranscriptEntry, TurnCommit, TurnCommits } from '../../bot/ports';

/**
 * Turn commits in this process: the state's compare-and-set is the state storage's own write with
 * the eTag the turn read. One process runs one turn of a conversation at a time, so nothing can
 * come between the state and what is held: the held replies and lines stay for their owners to
 * append after the turn.
 */
export class MemoryTurnCommits implements TurnCommits {
  constructor(private readonly state: StateStorage) {}

  open(conversationId: string): TurnCommit {
    return new MemoryTurnCommit(conversationId, this.state);
  }
}

class MemoryTurnCommit implements TurnCommit {
  readonly replies: StoredActivity[] = [];
  readonly transcript: TranscriptEntry[] = [];
  forgotten = false;

  constructor(
    readonly conversationId: string,
    private readonly state: StateStorage,
  ) {}

  async saveState(key: string, item: StoreItem, expected: string): Promise<string> {
    if (this.forgotten) return expected;
    const written: StoreItem = { ...item, eTag: expected };
    await this.state.write({ [key]: written });
    // The store reports the new eTag on the item it wrote.
    return String(written.eTag);
  }

  forget(): void {
    this.forgotten = true;
    this.transcript.length = 0;
  }
}

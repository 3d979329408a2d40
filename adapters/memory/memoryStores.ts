import type { ConversationMeta, Stores, TranscriptEntry } from '../../bot/ports';
import { ExpiringMap } from './expiringMap';
import { MemoryConversationLog } from './memoryConversationLog';
import { MemoryHandoffQueue, type StoredQueueItem } from './memoryHandoffQueue';
import { MemoryInsights } from './memoryInsights';
import { MemoryAlertOutbox } from './memoryAlertOutbox';
import { MemoryKeyValue } from './memoryKeyValue';
import { MemorySecrets } from './memorySecrets';
import { MemoryStateStorage, type StoredItem } from './memoryStateStorage';
import { MemoryTranscripts } from './memoryTranscripts';
import { MemoryTurnCommits } from './memoryTurnCommits';
import { MemoryRateLimits } from './memoryRateLimits';
import { errorMessage } from '../../bot/errorMessage';

const DAY_MS = 86_400_000;
const SWEEP_INTERVAL_MS = 60_000;

export interface MemoryStoresOptions {
  retentionDays: number;
  /** Milliseconds since the epoch; tests pass a clock they can move past the retention period. */
  now?: () => number;
  logger?: { warn(message: string, fields?: Record<string, unknown>): void };
}

/**
 * In-process stores for `npm start` without Redis: one process only, gone on restart, but with
 * the Redis stores' semantics (eTags, conflicts, retention), checked by the same contract tests.
 */
export function createMemoryStores(options: MemoryStoresOptions): Stores {
  if (!(options.retentionDays > 0)) throw new RangeError(`createMemoryStores: retentionDays must be positive, got ${options.retentionDays}`);
  const now = options.now ?? Date.now;
  const ttl = options.retentionDays * DAY_MS;
  const maps = {
    state: new ExpiringMap<StoredItem>(ttl, now),
    metas: new ExpiringMap<ConversationMeta>(ttl, now),
    logs: new ExpiringMap<string[]>(ttl, now),
    secrets: new ExpiringMap<string>(ttl, now),
    queue: new ExpiringMap<StoredQueueItem>(ttl, now),
    transcripts: new ExpiringMap<TranscriptEntry[]>(ttl, now),
  };
  const keyValue = new MemoryKeyValue(now);
  const alerts = new MemoryAlertOutbox(ttl, now);
  const sweeper = setInterval(() => {
    Object.values(maps).forEach((map) => map.sweep());
    keyValue.sweep();
    alerts.sweep();
  }, SWEEP_INTERVAL_MS);
  // The sweep is housekeeping; it must not keep a finished process (or a test run) alive.
  sweeper.unref();
  const onListenerError = (error: unknown) => options.logger?.warn('conversation listener failed', { error: errorMessage(error) });
  const state = new MemoryStateStorage(maps.state);
  return {
    kind: 'memory',
    keyValue,
    state,
    conversations: new MemoryConversationLog(maps.metas, maps.logs, onListenerError),
    secrets: new MemorySecrets(maps.secrets),
    queue: new MemoryHandoffQueue(maps.queue),
    transcripts: new MemoryTranscripts(maps.transcripts),
    insights: new MemoryInsights(),
    alerts,
    commits: new MemoryTurnCommits(state),
    rateLimits: new MemoryRateLimits(),
    ping: async () => undefined,
    close: async () => clearInterval(sweeper),
  };
}

import type { HandoffQueue, HandoffRequest, Logger, QueueItem, QueuePriority } from '../ports';
import { PRIORITY_ORDER } from '../ports';
import { errorMessage } from '../errorMessage';

const ATTEMPTS = 3;
const RETRY_EVERY_MS = 2000;

/**
 * A hand-off request is never dropped silently: each write is tried a few times, and one that
 * still fails is kept in this process and retried in the background until the store takes it,
 * with an error logged (conversation id and flags, never the pupil's words).
 */
export class ResilientQueue {
  private readonly pending = new Map<string, HandoffRequest>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly queue: HandoffQueue,
    private readonly logger: Logger,
    private readonly retryEveryMs = RETRY_EVERY_MS,
  ) {}

  async enqueue(request: HandoffRequest): Promise<QueueItem | undefined> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      try {
        return await this.queue.enqueue(request);
      } catch (error) {
        if (attempt === ATTEMPTS) this.keep(request, error);
        else await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
    return undefined;
  }

  /** Tries every kept request once more; resolves how many are still waiting. */
  async retry(): Promise<number> {
    for (const [conversationId, request] of [...this.pending]) {
      try {
        await this.queue.enqueue(request);
        this.pending.delete(conversationId);
        this.logger.warn('hand-off request reached the queue after a retry', { conversationId, flags: request.flags });
      } catch {
        // still failing: kept for the next round
      }
    }
    if (this.pending.size === 0) this.stopTimer();
    return this.pending.size;
  }

  /** True while a request for this conversation is kept here to retry. */
  isKept(conversationId: string): boolean {
    return this.pending.has(conversationId);
  }

  /** Drops a kept request (the pupil asked for their data to be deleted), so no retry brings it back. */
  forget(conversationId: string): void {
    this.pending.delete(conversationId);
    if (this.pending.size === 0) this.stopTimer();
  }

  close(): void {
    this.stopTimer();
    for (const request of this.pending.values()) {
      this.logger.error('hand-off request not delivered before shutdown', { conversationId: request.conversationId, flags: request.flags, priority: request.priority });
    }
  }

  private keep(request: HandoffRequest, error: unknown): void {
    const earlier = this.pending.get(request.conversationId);
    const merged: HandoffRequest = earlier ? { ...request, flags: [...new Set([...earlier.flags, ...request.flags])], priority: higher(earlier.priority, request.priority), at: earlier.at } : request;
    this.pending.set(request.conversationId, merged);
    this.logger.error('hand-off queue write failed; kept to retry', {
      conversationId: request.conversationId,
      flags: merged.flags,
      priority: merged.priority,
      error: errorMessage(error),
    });
    if (!this.timer) {
      this.timer = setInterval(() => void this.retry(), this.retryEveryMs);
      this.timer.unref();
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

function higher(a: QueuePriority, b: QueuePriority): QueuePriority {
  return PRIORITY_ORDER.indexOf(a) <= PRIORITY_ORDER.indexOf(b) ? a : b;
}

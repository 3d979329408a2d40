import type { ClaimResult, HandoffQueue, HandoffRequest, QueueItem, TransferResult } from '../ports';

/** What the queue needs of the alerts: an alert for an urgent request, never failing. */
export interface UrgentAlerts {
  raise(request: HandoffRequest): Promise<void>;
}

/**
 * The hand-off queue with a safeguarding alert for every urgent request: every request the bot
 * makes reaches the queue through here (HandoffService.request, through ResilientQueue), so an
 * urgent queueing, in or out of hours, first or later in a conversation, makes its alert. The
 * alert is recorded alongside the queue write, not after it, so it costs the pupil's turn no extra
 * wait, and it is recorded even when the queue write fails (ResilientQueue keeps that for later;
 * its retries carry the request's own time, so they make the same alert, not another).
 */
export class AlertingHandoffQueue implements HandoffQueue {
  constructor(
    private readonly inner: HandoffQueue,
    private readonly alerts: UrgentAlerts,
  ) {}

  async enqueue(request: HandoffRequest): Promise<QueueItem> {
    if (request.priority !== 'urgent' || request.alert === false) return this.inner.enqueue(request);
    const [, queued] = await Promise.allSettled([this.alerts.raise(request), this.inner.enqueue(request)]);
    if (queued.status === 'rejected') throw queued.reason;
    return queued.value;
  }

  list(): Promise<QueueItem[]> {
    return this.inner.list();
  }

  get(conversationId: string): Promise<QueueItem | undefined> {
    return this.inner.get(conversationId);
  }

  claim(conversationId: string, adviser: string): Promise<ClaimResult> {
    return this.inner.claim(conversationId, adviser);
  }

  transfer(conversationId: string, from: string, to: string | null): Promise<TransferResult> {
    return this.inner.transfer(conversationId, from, to);
  }

  close(conversationId: string): Promise<boolean> {
    return this.inner.close(conversationId);
  }

  cancel(conversationId: string): Promise<boolean> {
    return this.inner.cancel(conversationId);
  }

  remove(conversationId: string): Promise<void> {
    return this.inner.remove(conversationId);
  }
}

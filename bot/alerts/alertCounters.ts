import type { AlertStats } from '../ports';

/** What an outbox counts per conversation, from which the console's figures are worked out. */
export interface AlertCounters {
  raised: number;
  delivered: number;
  dropped: number;
  lastDeliveredAt?: string;
}

/** The figures the console shows: a dropped alert (an escalation no longer wanted) was never sent. */
export function statsOf(counters: AlertCounters): AlertStats {
  return {
    sent: counters.raised - counters.dropped,
    delivered: counters.delivered,
    pending: Math.max(0, counters.raised - counters.delivered - counters.dropped),
    ...(counters.lastDeliveredAt ? { lastDeliveredAt: counters.lastDeliveredAt } : {}),
  };
}

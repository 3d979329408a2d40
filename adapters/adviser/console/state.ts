import type { ConsoleQueueItem, PresenceView, SessionResponse } from '../shared/consoleApi';
import type { Api } from './api';
import type { Ui, ViewName } from './ui';

/** What the console's parts share: the page, the API, who is signed in, and the latest queue. */
export interface ConsoleState {
  ui: Ui;
  api: Api;
  me: SessionResponse | null;
  view: ViewName;
  queue: ConsoleQueueItem[];
  /** Date.now() when `queue` arrived: waits count on from there (the server's are by the bot's clock) */
  queueReceivedAt: number;
  queueLoaded: boolean;
  advisers: PresenceView[];
}

/** How long an item has waited now: the server's figure (by the bot's clock) plus the time since it arrived. */
export function waitedMs(state: ConsoleState, item: Pick<ConsoleQueueItem, 'waitedSeconds' | 'waitingSince'>, now = Date.now()): number {
  if (state.queueReceivedAt) return item.waitedSeconds * 1000 + Math.max(0, now - state.queueReceivedAt);
  const since = Date.parse(item.waitingSince);
  return Number.isNaN(since) ? Number.NaN : now - since;
}

/** The queue's item for a conversation, if it is in the queue. */
export function queued(state: ConsoleState, conversationId: string): ConsoleQueueItem | undefined {
  return state.queue.find((item) => item.conversationId === conversationId);
}

import { flagLabel } from '../../../knowledge/adviserLabels';
import type { ConsoleQueueItem } from './consoleApi';

/** The queue's search and filters, the same on the server (GET /queue?...) and in the console. */
export interface QueueFilter {
  school?: string;
  flag?: string;
  /** `mine`: claimed by the adviser asking */
  status?: 'waiting' | 'claimed' | 'mine';
  /** waiting at least this long */
  minWaitMinutes?: number;
  /** words to find in the summary, flags, channel, who has it or the conversation id */
  text?: string;
}

export const QUEUE_STATUSES = ['waiting', 'claimed', 'mine'] as const;

export function matchesFilter(item: ConsoleQueueItem, filter: QueueFilter, me: string): boolean {
  if (filter.school && item.school !== filter.school) return false;
  if (filter.flag && !item.flags.includes(filter.flag)) return false;
  if (filter.status === 'mine' && !(item.status === 'claimed' && item.claimedBy === me)) return false;
  if ((filter.status === 'waiting' || filter.status === 'claimed') && item.status !== filter.status) return false;
  if (filter.minWaitMinutes && item.waitedSeconds < filter.minWaitMinutes * 60) return false;
  const words = (filter.text ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.length === 0) return true;
  const haystack = [item.summary, item.channel, item.claimedBy ?? '', item.conversationId, item.school, ...item.flags, ...item.flags.map(flagLabel)].join(' ').toLowerCase();
  return words.every((word) => haystack.includes(word));
}

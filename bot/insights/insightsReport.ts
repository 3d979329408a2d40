import { ADVISER_RATINGS, ANSWER_VOTES, OUTCOMES, type AdviserRating, type AnswerVote } from './insightEvents';
import { recentWeeks, weekStart } from './isoWeek';
import { PRIORITY_ORDER, type InsightsStore, type WeekFigures } from '../ports';
import { FlagName } from '../../knowledge/triageSchema';
import { FLAG_LABELS, PRIORITY_LABELS, SECTOR_LABELS } from '../../knowledge/adviserLabels';
import { SectorId } from '../../knowledge/careersSchema';
import { CAREERS_TOPIC } from '../../dialogs/conversationData';

/** Below this, a count is shown as "<5" so that no pupil can be singled out. */
export const SMALLEST_SHOWN = 5;
export const SUPPRESSED = '<5';

/** A figure as shown: a number, "<5", or null when there is nothing to base it on. */
export type Shown = number | typeof SUPPRESSED | null;

export const BENCHMARKS = {
  g2: 'Gatsby 2: learning from career and labour market information',
  g3: 'Gatsby 3: addressing the needs of each pupil',
  g8: 'Gatsby 8: personal guidance',
} as const;

export type ChartId = 'conversations' | 'topics' | 'careers' | 'flags' | 'priorities' | 'pickups' | 'outcomes' | 'feedback';

export interface Figure {
  id: string;
  chart: ChartId;
  label: string;
  benchmark: string;
  value: Shown;
  unit: 'conversations' | 'percent' | 'hand-offs' | 'pick-ups' | 'minutes' | 'outcomes' | 'responses' | 'profile views';
}

export interface WeekReport {
  week: string;
  /** the Monday it starts, YYYY-MM-DD */
  weekStarting: string;
  figures: Figure[];
}

export const CHARTS: Record<ChartId, { title: string; benchmark: string }> = {
  conversations: { title: 'Conversations started', benchmark: BENCHMARKS.g3 },
  topics: { title: 'Topics asked about (conversations)', benchmark: BENCHMARKS.g2 },
  careers: { title: 'Job profiles looked at, by job family (each job once a conversation)', benchmark: BENCHMARKS.g2 },
  flags: { title: 'Hand-offs to an adviser, by need', benchmark: BENCHMARKS.g3 },
  priorities: { title: 'Hand-offs to an adviser, by priority', benchmark: BENCHMARKS.g8 },
  pickups: { title: 'Time from queue to pick-up (minutes)', benchmark: BENCHMARKS.g8 },
  outcomes: { title: 'Outcomes', benchmark: BENCHMARKS.g8 },
  feedback: { title: 'What pupils said about the help', benchmark: BENCHMARKS.g8 },
};

const OUTCOME_LABELS: Record<(typeof OUTCOMES)[number], string> = {
  resolved: 'Closed by an adviser: resolved',
  'referred-on': 'Closed by an adviser: referred on',
  'no-reply': 'Closed by an adviser: no reply',
  'cancelled-by-pupil': 'Cancelled by the pupil',
  'declined-offer': 'Pupil declined the offer of an adviser',
};

const RATING_LABELS: Record<AdviserRating, string> = {
  helped: 'After an adviser chat: it helped',
  partly: 'After an adviser chat: it helped a bit',
  'not-helped': 'After an adviser chat: it did not help',
  skipped: 'After an adviser chat: skipped the question',
};

const VOTE_LABELS: Record<AnswerVote, string> = {
  up: "The bot's answers: thumbs up",
  down: "The bot's answers: thumbs down",
};

/** 0 stays 0; 1 to 4 becomes "<5". */
export function suppress(count: number): Shown {
  if (count === 0) return 0;
  return count < SMALLEST_SHOWN ? SUPPRESSED : count;
}

/**
 * A percentage of `total`, shown only when it cannot give a small number away: "<5" when the
 * part, or the rest (total minus part, which subtraction from the shown total would reveal), is 1 to 4.
 */
export function share(part: number, total: number): Shown {
  if (total === 0) return null;
  const rest = total - part;
  if ((part > 0 && part < SMALLEST_SHOWN) || (rest > 0 && rest < SMALLEST_SHOWN)) return SUPPRESSED;
  return Math.round((100 * part) / total);
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Minutes to one decimal place, and only from five pick-ups or more. */
function pickupMinutes(seconds: readonly number[], p: number): Shown {
  if (seconds.length === 0) return null;
  if (seconds.length < SMALLEST_SHOWN) return SUPPRESSED;
  return Math.round(percentile(seconds, p) / 6) / 10;
}

/** One school's week as advisers and inspectors see it: every count suppressed below five. */
export function weekReport(week: string, figures: WeekFigures, topics: readonly { id: string; label: string }[]): WeekReport {
  const count = (field: string) => figures.counts[field] ?? 0;
  const conversations = count('conversations');
  const list: Figure[] = [
    { id: 'conversations', chart: 'conversations', label: 'Conversations started', benchmark: BENCHMARKS.g3, value: suppress(conversations), unit: 'conversations' },
    {
      id: 'conversations-out-of-term',
      chart: 'conversations',
      label: 'Share started out of term (school holidays)',
      benchmark: BENCHMARKS.g3,
      value: share(count('conversations:out-of-term'), conversations),
      unit: 'percent',
    },
    {
      id: 'conversations-out-of-hours',
      chart: 'conversations',
      label: 'Share started when no adviser was working',
      benchmark: BENCHMARKS.g3,
      value: share(count('conversations:out-of-hours'), conversations),
      unit: 'percent',
    },
    ...topics.map((topic): Figure => ({ id: `topic:${topic.id}`, chart: 'topics', label: topic.label, benchmark: BENCHMARKS.g2, value: suppress(count(`topic:${topic.id}`)), unit: 'conversations' })),
    {
      id: `topic:${CAREERS_TOPIC}`,
      chart: 'topics',
      label: 'Careers: job profiles and the explorer',
      benchmark: BENCHMARKS.g2,
      value: suppress(count(`topic:${CAREERS_TOPIC}`)),
      unit: 'conversations',
    },
    ...SectorId.options.map((sector): Figure => ({
      id: `career:${sector}`,
      chart: 'careers',
      label: SECTOR_LABELS[sector],
      benchmark: BENCHMARKS.g2,
      value: suppress(count(`career:${sector}`)),
      unit: 'profile views',
    })),
    ...FlagName.options.map((flag): Figure => ({ id: `flag:${flag}`, chart: 'flags', label: FLAG_LABELS[flag], benchmark: BENCHMARKS.g3, value: suppress(count(`flag:${flag}`)), unit: 'hand-offs' })),
    ...PRIORITY_ORDER.map((priority): Figure => ({
      id: `priority:${priority}`,
      chart: 'priorities',
      label: PRIORITY_LABELS[priority],
      benchmark: BENCHMARKS.g8,
      value: suppress(count(`priority:${priority}`)),
      unit: 'hand-offs',
    })),
    { id: 'pickups', chart: 'pickups', label: 'Picked up by an adviser', benchmark: BENCHMARKS.g8, value: suppress(count('pickups')), unit: 'pick-ups' },
    { id: 'pickup-median', chart: 'pickups', label: 'Median wait to pick-up', benchmark: BENCHMARKS.g8, value: pickupMinutes(figures.pickupSeconds, 50), unit: 'minutes' },
    { id: 'pickup-p90', chart: 'pickups', label: '90th percentile wait to pick-up', benchmark: BENCHMARKS.g8, value: pickupMinutes(figures.pickupSeconds, 90), unit: 'minutes' },
    ...OUTCOMES.map((outcome): Figure => ({
      id: `outcome:${outcome}`,
      chart: 'outcomes',
      label: OUTCOME_LABELS[outcome],
      benchmark: BENCHMARKS.g8,
      value: suppress(count(`outcome:${outcome}`)),
      unit: 'outcomes',
    })),
    // Counts only, never which conversation a face or a thumb came from.
    ...ADVISER_RATINGS.map((rating): Figure => ({
      id: `feedback:adviser:${rating}`,
      chart: 'feedback',
      label: RATING_LABELS[rating],
      benchmark: BENCHMARKS.g8,
      value: suppress(count(`feedback:adviser:${rating}`)),
      unit: 'responses',
    })),
    ...ANSWER_VOTES.map((vote): Figure => ({
      id: `feedback:answer:${vote}`,
      chart: 'feedback',
      label: VOTE_LABELS[vote],
      benchmark: BENCHMARKS.g2,
      value: suppress(count(`feedback:answer:${vote}`)),
      unit: 'responses',
    })),
  ];
  return { week, weekStarting: weekStart(week), figures: list };
}

/** A school's last `weeks` weeks up to `now`'s (London's calendar), oldest first, each as advisers and inspectors see it. */
export async function recentWeekReports(store: InsightsStore, school: string, weeks: number, now: Date, topics: readonly { id: string; label: string }[]): Promise<WeekReport[]> {
  return Promise.all(recentWeeks(now, weeks).map(async (week) => weekReport(week, await store.read(school, week), topics)));
}

import type { QueuePriority } from '../ports';

/** How a hand-off (or the offer of one) ended; no pupil's words, only which way it went. */
export type Outcome = 'resolved' | 'referred-on' | 'no-reply' | 'cancelled-by-pupil' | 'declined-offer';
export const OUTCOMES: readonly Outcome[] = ['resolved', 'referred-on', 'no-reply', 'cancelled-by-pupil', 'declined-offer'];

/** A pupil's answer to "Did that help?" after an adviser's chat (the three faces), or that they skipped it. */
export type AdviserRating = 'helped' | 'partly' | 'not-helped' | 'skipped';
export const ADVISER_RATINGS: readonly AdviserRating[] = ['helped', 'partly', 'not-helped', 'skipped'];

/** A pupil's thumbs up or down on one of the bot's answers. */
export type AnswerVote = 'up' | 'down';
export const ANSWER_VOTES: readonly AnswerVote[] = ['up', 'down'];

/** Something that happened, counted for a school's insights. Counts only: nothing about who. */
export type InsightEvent =
  | { kind: 'conversation-started'; outOfTerm: boolean; outOfHours: boolean }
  | { kind: 'topic'; topic: string }
  | { kind: 'handoff-queued'; flags: readonly string[]; priority: QueuePriority }
  | { kind: 'picked-up'; waitedSeconds: number }
  | { kind: 'outcome'; outcome: Outcome }
  | { kind: 'adviser-feedback'; rating: AdviserRating }
  | { kind: 'answer-vote'; vote: AnswerVote }
  /** a job's profile shown, counted by its sector (job family): which job family, never who */
  | { kind: 'career-view'; sector: string };

/** The counter fields an event adds one to. */
export function countersOf(event: InsightEvent): string[] {
  switch (event.kind) {
    case 'conversation-started':
      return ['conversations', ...(event.outOfTerm ? ['conversations:out-of-term'] : []), ...(event.outOfHours ? ['conversations:out-of-hours'] : [])];
    case 'topic':
      return [`topic:${event.topic}`];
    case 'handoff-queued':
      return ['handoffs', `priority:${event.priority}`, ...new Set(event.flags.map((flag) => `flag:${flag}`))];
    case 'picked-up':
      return ['pickups'];
    case 'outcome':
      return [`outcome:${event.outcome}`];
    case 'adviser-feedback':
      return [`feedback:adviser:${event.rating}`];
    case 'answer-vote':
      return [`feedback:answer:${event.vote}`];
    case 'career-view':
      return [`career:${event.sector}`];
  }
}

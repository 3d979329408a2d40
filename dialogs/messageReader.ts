import type { TurnContext } from 'botbuilder';
import type { Careers } from '../knowledge/loadCareers';
import type { CareerProfile } from '../knowledge/careersSchema';
import type { CareerAspect, Interest } from '../knowledge/careerTalkSchema';
import type { Answer, Command, TopicId } from '../knowledge/schema';
import type { AnswerRouter } from './answerRouter';
import type { CareerMatcher } from './careerMatcher';

/** What a pupil's message asks for, read by both the guidance answers' router and the careers matcher. */
export type Reading =
  | { kind: 'command'; command: Command }
  | { kind: 'guidance'; answer: Answer; topic: TopicId }
  | { kind: 'career'; profile: CareerProfile; aspect: CareerAspect }
  | { kind: 'interest'; interests: Interest[] }
  | { kind: 'explore' }
  | { kind: 'unknown' };

type GuidanceReading = Extract<Reading, { kind: 'guidance' }>;

/** Where a reading leads, by ids, as the dialogs keep it in their state. */
export type Destination =
  { kind: 'guidance'; answerId: string; topic: TopicId } | { kind: 'career'; careerId: string; aspect: CareerAspect } | { kind: 'interest'; interests: string[] } | { kind: 'explore' };

/** Where the conversation is: the guidance topic under way, and the job just talked about. */
export interface Whereabouts {
  topic?: TopicId;
  /** a career id */
  career?: string;
  /** what the guidance answer just shown is about ("t level"), for follow-ups that name nothing */
  subject?: string;
}

/** Where a message that asks something leads; undefined for a command or a message nobody understood. */
export function destinationOf(reading: Reading): Destination | undefined {
  switch (reading.kind) {
    case 'guidance':
      return { kind: 'guidance', answerId: reading.answer.id, topic: reading.topic };
    case 'career':
      return { kind: 'career', careerId: reading.profile.id, aspect: reading.aspect };
    case 'interest':
      return { kind: 'interest', interests: reading.interests.map((interest) => interest.id) };
    case 'explore':
      return { kind: 'explore' };
    default:
      return undefined;
  }
}

/**
 * Reads a message once for the guidance answers (AnswerRouter) and once for careers
 * (CareerMatcher), and decides between them by one rule:
 *
 * - A message that names a job is answered from the job's profile, unless it is a guidance
 *   question that only mentions the job: the router answers it with an answer that does not give
 *   way to careers (content's `givesWayToCareer`), and with the job's name taken out it is still a
 *   question of that answer's topic. So "how do I find apprenticeships in plumbing" finds
 *   apprenticeships, "what A levels go together for law" gets the A levels for law, while "how
 *   much does an electrician earn" gets the electrician's pay, not the minimum wage. A pupil who
 *   says they want to be the job and asks nothing else ("I'm in care and I want to be a social
 *   worker") gets the job, whatever else the message touches on.
 * - "What jobs can I do if I like art" asks for jobs: the interest's job families.
 * - "I don't know what I want to do" opens the explorer, unless the router has an answer about
 *   a step in education ("not sure what to do after school" is about the routes after 16; a
 *   Year 9 with no idea what to do hears how to choose options); answers about part-time jobs
 *   do not count, as "job" is all that leads there.
 * - A message that names no job but asks about a part of one ("and the pay?", "which GCSEs
 *   matter") is about the job just talked about, unless the router has an answer that does not
 *   give way ("how many hours can I work" is about the pupil's own part-time job). After a
 *   guidance answer, such a follow-up that the router cannot place is asked again about that
 *   answer's subject ("what is a T Level", then "how long does it take").
 */
export class MessageReader {
  constructor(
    private readonly router: AnswerRouter,
    private readonly matcher: CareerMatcher,
    private readonly careers: Careers,
  ) {}

  read(context: TurnContext, text: string, where: Whereabouts = {}): Reading {
    const route = this.router.routeInTurn(context, text, where.topic);
    if (route.kind === 'command') return route;
    const guidance: GuidanceReading | undefined = route.kind === 'answer' ? { kind: 'guidance', answer: route.answer, topic: route.topic } : undefined;
    const specific = guidance && !guidance.answer.givesWayToCareer ? guidance : undefined;
    const match = this.matcher.match(text);
    switch (match.kind) {
      case 'career': {
        // "I'm in care and I want to be a social worker" states a wish and asks nothing else.
        const onlyAWish = match.wish && !match.restAsks;
        const stillAsked = !onlyAWish && specific !== undefined && this.topicOf(context, match.rest, where.topic) === specific.topic;
        return stillAsked ? specific : { kind: 'career', profile: match.profile, aspect: match.aspect };
      }
      case 'interest':
        return { kind: 'interest', interests: match.interests };
      case 'explore':
        // The getting-a-job topic is part-time work; "not sure what job" reaches it only through "job".
        return guidance && guidance.topic !== 'jobs' ? guidance : { kind: 'explore' };
      default: {
        const aspect = (where.career || where.subject) && !specific ? this.matcher.aspectOf(text) : undefined;
        if (where.career && aspect) return { kind: 'career', profile: this.careers.profile(where.career), aspect };
        if (where.subject && aspect && !guidance) return this.aboutSubject(context, text, where) ?? { kind: 'unknown' };
        return guidance ?? { kind: 'unknown' };
      }
    }
  }

  /** True when the message asks something the bot can answer (not a command, and understood). */
  asksSomething(context: TurnContext, text: string): boolean {
    return destinationOf(this.read(context, text)) !== undefined;
  }

  /** Interests named in an answer to an explorer question, where no "jobs" cue is needed ("drawing and animals"). */
  interestsIn(text: string): Interest[] {
    return this.matcher.interestsIn(text);
  }

  /**
   * A follow-up that names nothing ("how long does that take", "and the pay?"), asked again about
   * the subject of the answer just shown: "it", "that" or "this" becomes the subject, or the
   * subject is added ("how long does a t level take").
   */
  private aboutSubject(context: TurnContext, text: string, where: Whereabouts): GuidanceReading | undefined {
    const subject = where.subject ?? '';
    const pronoun = /\b(?:it|that|this|they|them)\b/i;
    const asked = pronoun.test(text) ? text.replace(pronoun, subject) : `${text} ${subject}`;
    const route = this.router.routeInTurn(context, asked, where.topic);
    return route.kind === 'answer' ? { kind: 'guidance', answer: route.answer, topic: route.topic } : undefined;
  }

  private topicOf(context: TurnContext, text: string, currentTopic: TopicId | undefined): TopicId | undefined {
    const route = this.router.routeInTurn(context, text, currentTopic);
    return route.kind === 'answer' ? route.topic : undefined;
  }
}

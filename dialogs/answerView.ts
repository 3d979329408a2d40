import type { Activity } from 'botbuilder';
import { answerVoteEntity } from './answerVote';
import { fill, textReply, type TemplateValues } from './replies';
import type { Content } from '../knowledge/loadContent';
import type { Answer, Variant } from '../knowledge/schema';
import { effectiveAge, type PupilProfile } from './pupilProfile';

// Made once: building an Intl.DateTimeFormat costs about a tenth of a millisecond, using one a microsecond.
const englandDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The last minute asked about: a turn asks more than once, and England's date can change only on a minute. */
let lastDate: { minute: number; date: string } | undefined;

/** The calendar date in England, which is what "valid from 1 April" means. */
export function londonDate(instant: Date): string {
  const minute = Math.floor(instant.getTime() / 60_000);
  if (lastDate?.minute !== minute) lastDate = { minute, date: englandDate.format(instant) };
  return lastDate.date;
}

function applies(variant: Variant, today: string, age: number | undefined): boolean {
  if (variant.validFrom && today < variant.validFrom) return false;
  if (variant.validUntil && today > variant.validUntil) return false;
  if (variant.minAge !== undefined && (age === undefined || age < variant.minAge)) return false;
  if (variant.maxAge !== undefined && (age === undefined || age > variant.maxAge)) return false;
  return true;
}

export interface AnswerView {
  text: string;
  facts: string[];
}

/** The text that applies on this date to this pupil: the first matching variant, else the answer's own. */
export function selectText(answer: Answer, today: string, profile: PupilProfile): AnswerView {
  const age = effectiveAge(profile);
  const variant = answer.variants.find((candidate) => applies(candidate, today, age));
  return variant ? { text: variant.text, facts: variant.facts } : { text: answer.text, facts: answer.facts };
}

export interface RenderOptions {
  now: Date;
  profile: PupilProfile;
  /** true when "Back" can go somewhere */
  canGoBack: boolean;
  values?: TemplateValues;
}

/** An answer as a message: its text, then buttons for its follow-ups, more, back and menu, and thumbs to rate it. */
export function renderAnswer(content: Content, answer: Answer, options: RenderOptions): Partial<Activity> {
  const { text } = selectText(answer, londonDate(options.now), options.profile);
  return { ...textReply(fill(text, options.values), buttonsFor(content, answer, options.canGoBack)), entities: [answerVoteEntity(answer.id)] };
}

export function buttonsFor(content: Content, answer: Answer, canGoBack: boolean): string[] {
  const buttons = answer.followUps.map((id) => content.answer(id).title ?? id);
  if (answer.more) buttons.unshift(content.answer('button.more').text);
  if (canGoBack) buttons.push(content.answer('button.back').text);
  buttons.push(content.answer('button.menu').text);
  return buttons;
}

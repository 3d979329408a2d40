import type { Activity } from 'botbuilder';
import { normalise } from '../../dialogs/normalise';
import { fill, textReply } from '../../dialogs/replies';
import type { SafetyAnswer } from '../../dialogs/conversationData';
import type { Content } from '../../knowledge/loadContent';
import { awayUntil } from '../calendar/adviserHours';
import type { Clock } from '../ports';
import type { School } from '../schools/schoolDirectory';

/** Who will see a crisis, and when, as far as the bot can honestly tell at this moment. */
export type WhoIsThere =
  /** the school's adviser hours: an adviser sees the urgent item in the console now */
  | { kind: 'in-hours' }
  /** nobody from school is working; `alerted` when an on-call safeguarding alert goes out */
  | { kind: 'out-of-hours'; when: string; alerted: boolean }
  /** the school is not known (storage down, or a conversation of no school) */
  | { kind: 'unknown' };

/** True when urgent items of this school (undefined: of no school) raise an on-call alert. */
export type OnCallAlerts = (schoolId: string | undefined) => boolean;

const LISTEN_ANSWERS = ['crisis.listen.1', 'crisis.listen.2', 'crisis.listen.3', 'crisis.listen.4'] as const;

export const CRISIS_ANSWER_IDS = [
  'crisis.reply',
  'crisis.who.in-hours',
  'crisis.who.out-of-hours',
  'crisis.who.out-of-hours-alerted',
  'crisis.who.unknown',
  'crisis.contacts',
  'crisis.safety-check',
  'crisis.button.safe',
  'crisis.button.not-safe',
  'crisis.button.not-sure',
  'crisis.safe',
  'crisis.not-safe',
  ...LISTEN_ANSWERS,
  'crisis.now.in-hours',
  'crisis.now.out-of-hours',
  'crisis.now.unknown',
  'crisis.button.contacts',
  'crisis.button.carry-on',
  'crisis.carry-on',
  'crisis.moving-on',
  'crisis.cancel-kept',
] as const;

/**
 * The words of a crisis reply and of crisis mode, from content. Every reply names at least one
 * way to talk to someone now, and says who from school will see the chat only as far as the
 * school's calendar makes it true.
 */
export class CrisisReplies {
  /** normalised phrases that answer the safety check, or ask to carry on */
  private readonly safetyPhrases: Map<string, SafetyAnswer>;
  private readonly carryOnPhrases: Set<string>;
  private readonly contactsButton: string;

  constructor(
    private readonly content: Content,
    private readonly clock: Clock,
    private readonly onCallAlerts: OnCallAlerts,
  ) {
    this.safetyPhrases = new Map();
    const answers: [string, SafetyAnswer][] = [
      ['crisis.button.safe', 'safe'],
      ['crisis.button.not-safe', 'not-safe'],
      ['crisis.button.not-sure', 'not-sure'],
    ];
    for (const [id, safety] of answers) {
      const answer = content.answer(id);
      for (const phrase of [answer.text, ...answer.triggers]) this.safetyPhrases.set(normalise(phrase), safety);
    }
    const carryOn = content.answer('crisis.button.carry-on');
    this.carryOnPhrases = new Set([carryOn.text, ...carryOn.triggers].map(normalise));
    this.contactsButton = normalise(content.answer('crisis.button.contacts').text);
  }

  whoIsThere(school: School | undefined): WhoIsThere {
    if (!school) return { kind: 'unknown' };
    const when = awayUntil(school.calendar, this.clock.now());
    if (!when) return { kind: 'in-hours' };
    return { kind: 'out-of-hours', when, alerted: this.onCallAlerts(school.id) };
  }

  /** The reply to a crisis message: who will see it and how to talk to someone now, then the safety check. */
  afterDisclosure(who: WhoIsThere): Partial<Activity>[] {
    return [textReply(`${this.whoText(who)}\n\n${this.text('crisis.contacts')}`), this.safetyCheck()];
  }

  safetyCheck(): Partial<Activity> {
    const buttons = [this.text('crisis.button.safe'), this.text('crisis.button.not-safe'), this.text('crisis.button.not-sure')];
    return textReply(this.text('crisis.safety-check'), buttons);
  }

  /** The answer to "Are you safe right now?", when the message is one. */
  readSafety(text: string): SafetyAnswer | undefined {
    return this.safetyPhrases.get(normalise(text));
  }

  wantsToCarryOn(text: string): boolean {
    return this.carryOnPhrases.has(normalise(text));
  }

  asksForContacts(text: string): boolean {
    return normalise(text) === this.contactsButton;
  }

  afterSafety(safety: SafetyAnswer, who: WhoIsThere): Partial<Activity>[] {
    if (safety === 'safe') return [this.listening(`${this.text('crisis.safe')} ${this.nowText(who)}`)];
    return [this.listening(`${this.text('crisis.not-safe')}\n\n${this.nowText(who)}`)];
  }

  /** A short supportive reply; `turn` picks which way to talk to someone it names. */
  supportive(turn: number, who: WhoIsThere): Partial<Activity> {
    const id = LISTEN_ANSWERS[turn % LISTEN_ANSWERS.length];
    return this.listening(`${this.text(id)} ${this.nowText(who)}`);
  }

  contacts(who: WhoIsThere): Partial<Activity> {
    return this.listening(`${this.text('crisis.contacts')}\n\n${this.nowText(who)}`);
  }

  text(id: (typeof CRISIS_ANSWER_IDS)[number]): string {
    return this.content.answer(id).text;
  }

  /** A crisis-mode reply, with the ways out of it: the contacts, or carrying on. */
  private listening(text: string): Partial<Activity> {
    return textReply(text, [this.text('crisis.button.contacts'), this.text('crisis.button.carry-on')]);
  }

  private whoText(who: WhoIsThere): string {
    if (who.kind === 'in-hours') return this.text('crisis.who.in-hours');
    if (who.kind === 'unknown') return this.text('crisis.who.unknown');
    return fill(this.text(who.alerted ? 'crisis.who.out-of-hours-alerted' : 'crisis.who.out-of-hours'), { when: who.when });
  }

  private nowText(who: WhoIsThere): string {
    if (who.kind === 'in-hours') return this.text('crisis.now.in-hours');
    if (who.kind === 'unknown') return this.text('crisis.now.unknown');
    return fill(this.text('crisis.now.out-of-hours'), { when: who.when });
  }
}

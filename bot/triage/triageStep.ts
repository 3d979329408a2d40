import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { AnswerRouter } from '../../dialogs/answerRouter';
import { emptyConversationData, type ConversationData } from '../../dialogs/conversationData';
import { textReply } from '../../dialogs/replies';
import { selectText, londonDate } from '../../dialogs/answerView';
import type { Content } from '../../knowledge/loadContent';
import { FlagName } from '../../knowledge/triageSchema';
import type { HandoffService } from '../handoff/handoffService';
import type { HandoffWording } from '../handoff/handoffWording';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { TurnSchool } from '../schools/turnSchool';
import type { Clock, HandoffQueue } from '../ports';
import type { YesNoQuestions } from '../yesNoQuestions';
import { priorityOf, type Detection, type FlagDetector } from './flagDetector';
import { ADVISER_OFFER_DIALOG } from './adviserOfferDialog';

/** An adviser offer waiting for the dialogs' answer: the flags it is for, then the acknowledgements and the offer itself. */
export interface PendingOffer {
  flags: FlagName[];
  texts: string[];
}

export type TriageOutcome =
  /** the turn is answered: nothing else runs */
  | { kind: 'done' }
  /** go on; once the dialogs have answered, make `offer` if there is one */
  | { kind: 'continue'; offer?: PendingOffer };

const isFlag = (value: string): value is FlagName => FlagName.safeParse(value).success;

/**
 * Triage, on every pupil message. `detect` comes first of all, before any storage call, so a
 * crisis is answered whatever else happens (CrisisMode). Then `run`: "cancel" and "adviser", and
 * other flags: a warm acknowledgement, the entitlement that goes with it, and an offer of an
 * adviser (AdviserOfferDialog), after the answer when the message also asked a guidance question.
 */
export class TriageStep {
  constructor(
    private readonly detector: FlagDetector,
    private readonly router: AnswerRouter,
    private readonly content: Content,
    private readonly handoff: HandoffService,
    private readonly queue: HandoffQueue,
    private readonly data: StatePropertyAccessor<ConversationData>,
    private readonly clock: Clock,
    private readonly schools: TurnSchool,
    private readonly insights: InsightsRecorder,
    private readonly questions: YesNoQuestions,
    private readonly wording: HandoffWording,
  ) {}

  detect(context: TurnContext): Detection {
    return this.detector.detect(context.activity.text ?? '');
  }

  async run(context: TurnContext, detection: Detection): Promise<TriageOutcome> {
    // A conversation of no school this deployment serves gets crisis help only (the bot says why).
    if (!(await this.schools.of(context))) return { kind: 'continue' };
    const data = await this.data.get(context, emptyConversationData());
    data.flags ??= [];
    const route = this.router.routeInTurn(context, context.activity.text ?? '');
    if (route.kind === 'command' && route.command === 'cancel') return this.cancel(context, data);

    const askedByCommand = route.kind === 'command' && route.command === 'adviser';
    if (askedByCommand && data.handoffRequested && (await this.stillWaiting(context))) {
      await context.sendActivity(textReply(this.content.answer('handoff.already-waiting').text));
      return { kind: 'done' };
    }
    const fresh = detection.flags.filter((flag) => !data.flags.includes(flag));
    if (askedByCommand && !fresh.includes('asked-for-adviser')) {
      // "adviser" typed on its own is a request every time, even if it was declined before.
      data.flags = data.flags.filter((flag) => flag !== 'asked-for-adviser');
      fresh.push('asked-for-adviser');
    }
    if (fresh.length === 0) return { kind: 'continue' };
    data.flags.push(...fresh);

    if (data.handoffRequested && (await this.stillWaiting(context))) {
      // Already in the queue: the adviser sees the new flags (and a higher priority) at once. Only
      // a new urgent flag is a reason for another safeguarding alert.
      const alert = priorityOf(fresh) === 'urgent';
      await this.handoff.request(context, data.flags.filter(isFlag), data.lastTopic, { safety: data.crisis?.safety, alert });
      // In crisis mode the pupil always gets a reply (crisis mode's, or the answer they asked for).
      return route.kind === 'answer' || data.crisis ? { kind: 'continue' } : { kind: 'done' };
    }
    const offerText = await this.wording.offer(await this.schools.of(context));
    const offer: PendingOffer = { flags: fresh, texts: [...fresh.map((flag) => this.acknowledgement(flag)), offerText] };
    if (route.kind === 'answer') return { kind: 'continue', offer };
    await this.makeOffer(context, offer);
    return { kind: 'done' };
  }

  /** Sends the acknowledgements and asks the offer's question, its yes and no as buttons. */
  async makeOffer(context: TurnContext, offer: PendingOffer): Promise<void> {
    const acknowledgements = offer.texts.slice(0, -1);
    const question = offer.texts[offer.texts.length - 1];
    if (acknowledgements.length > 0) await context.sendActivities(acknowledgements.map((text) => textReply(text)));
    const prompt = textReply(question, [this.content.answer('button.yes').text, this.content.answer('button.no').text]);
    await this.questions.ask(context, ADVISER_OFFER_DIALOG, { flags: offer.flags, prompt });
  }

  private async cancel(context: TurnContext, data: ConversationData): Promise<TriageOutcome> {
    if (data.handoffRequested && (await this.queue.get(context.activity.conversation?.id ?? ''))?.priority === 'urgent') {
      // An urgent request stays: an adult who can help must still see the chat.
      await context.sendActivity(textReply(this.content.answer('crisis.cancel-kept').text));
      return { kind: 'done' };
    }
    const cancelled = data.handoffRequested ? await this.queue.cancel(context.activity.conversation?.id ?? '') : false;
    if (cancelled) {
      data.handoffRequested = false;
      const school = await this.schools.of(context);
      if (school) this.insights.onTurn(context, school.id, { kind: 'outcome', outcome: 'cancelled-by-pupil' });
    }
    await context.sendActivity(textReply(this.content.answer(cancelled ? 'handoff.cancelled' : 'handoff.nothing-to-cancel').text));
    return { kind: 'done' };
  }

  private async stillWaiting(context: TurnContext): Promise<boolean> {
    return (await this.queue.get(context.activity.conversation?.id ?? '')) !== undefined;
  }

  private acknowledgement(flag: FlagName): string {
    const id = `triage.ack.${flag}`;
    return selectText(this.content.answer(id), londonDate(this.clock.now()), {}).text;
  }
}

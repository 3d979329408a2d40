import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { AnswerRouter } from '../../dialogs/answerRouter';
import { emptyConversationData, type ConversationData } from '../../dialogs/conversationData';
import { readYesNo } from '../../dialogs/pupilProfile';
import { textReply } from '../../dialogs/replies';
import { selectText, londonDate } from '../../dialogs/answerView';
import type { Content } from '../../knowledge/loadContent';
import { FlagName } from '../../knowledge/triageSchema';
import type { HandoffService } from '../handoff/handoffService';
import type { HandoffWording } from '../handoff/handoffWording';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { TurnSchool } from '../schools/turnSchool';
import type { Clock, HandoffQueue, Logger } from '../ports';
import type { FlagDetector } from './flagDetector';
import type { CrisisMode } from '../crisis/crisisMode';

export type TriageOutcome =
  /** the turn is answered: the dialogs do not run */
  | { kind: 'done' }
  /** run the dialogs, then send `after` (an acknowledgement and an adviser offer) */
  | { kind: 'continue'; after: string[] };

const isFlag = (value: string): value is FlagName => FlagName.safeParse(value).success;

/**
 * Safeguarding and triage, before any dialog on every pupil message. A crisis is answered at
 * once, before storage is touched, and queued as urgent whatever else happens. Other flags get
 * a warm acknowledgement, the entitlement that goes with them, and an offer of an adviser.
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
    private readonly logger: Logger,
    private readonly insights: InsightsRecorder,
    private readonly crisisMode: CrisisMode,
    private readonly wording: HandoffWording,
  ) {}

  async run(context: TurnContext): Promise<TriageOutcome> {
    const text = context.activity.text ?? '';
    const detection = this.detector.detect(text);
    if (detection.crisis) {
      await this.crisisMode.onDisclosure(context, detection.flags);
      return { kind: 'done' };
    }
    // A conversation of no school this deployment serves gets crisis help only (the bot says why).
    if (!(await this.schools.of(context))) return { kind: 'continue', after: [] };
    const data = await this.data.get(context, emptyConversationData());
    data.flags ??= [];
    const route = this.router.routeInTurn(context, text);

    if (data.pendingOffer) {
      const offered = data.pendingOffer.filter(isFlag);
      data.pendingOffer = undefined;
      const answer = readYesNo(text);
      if (answer === true) return this.accept(context, data, offered);
      if (answer === false) {
        await this.countOutcome(context, 'declined-offer');
        await context.sendActivity(textReply(this.content.answer('handoff.declined').text));
        return { kind: 'done' };
      }
    }
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
    if (fresh.length === 0) return { kind: 'continue', after: [] };
    data.flags.push(...fresh);

    if (data.handoffRequested && (await this.stillWaiting(context))) {
      // Already in the queue: the adviser sees the new flags (and a higher priority) at once.
      await this.handoff.request(context, data.flags.filter(isFlag), data.lastTopic, data.crisis?.safety);
      // In crisis mode the pupil always gets a reply (crisis mode's, or the answer they asked for).
      return { kind: route.kind === 'answer' || data.crisis ? 'continue' : 'done', after: [] };
    }
    data.pendingOffer = fresh;
    const offer = await this.wording.offer(await this.schools.of(context));
    const after = [...fresh.map((flag) => this.acknowledgement(flag)), offer];
    if (route.kind === 'answer') return { kind: 'continue', after };
    await this.sendOffer(context, after);
    return { kind: 'done' };
  }

  async sendOffer(context: TurnContext, texts: string[]): Promise<void> {
    if (texts.length === 0) return;
    const buttons = [this.content.answer('button.yes').text, this.content.answer('button.no').text];
    await context.sendActivities(texts.map((text, index) => textReply(text, index === texts.length - 1 ? buttons : [])));
  }

  private async accept(context: TurnContext, data: ConversationData, offered: FlagName[]): Promise<TriageOutcome> {
    const flags = [...new Set([...data.flags.filter(isFlag), ...offered])];
    await this.handoff.request(context, flags, data.lastTopic);
    data.handoffRequested = true;
    await context.sendActivity(textReply(await this.wording.queued(await this.schools.of(context))));
    return { kind: 'done' };
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
      await this.countOutcome(context, 'cancelled-by-pupil');
    }
    await context.sendActivity(textReply(this.content.answer(cancelled ? 'handoff.cancelled' : 'handoff.nothing-to-cancel').text));
    return { kind: 'done' };
  }

  private async countOutcome(context: TurnContext, outcome: 'declined-offer' | 'cancelled-by-pupil'): Promise<void> {
    const school = await this.schools.of(context);
    if (school) this.insights.onTurn(context, school.id, { kind: 'outcome', outcome });
  }

  private async stillWaiting(context: TurnContext): Promise<boolean> {
    return (await this.queue.get(context.activity.conversation?.id ?? '')) !== undefined;
  }

  private acknowledgement(flag: FlagName): string {
    const id = `triage.ack.${flag}`;
    return selectText(this.content.answer(id), londonDate(this.clock.now()), {}).text;
  }
}

import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { MessageReader } from '../../dialogs/messageReader';
import { emptyConversationData, type ConversationData, type SafetyAnswer } from '../../dialogs/conversationData';
import { menuReply, textReply } from '../../dialogs/replies';
import type { Content } from '../../knowledge/loadContent';
import { FlagName } from '../../knowledge/triageSchema';
import { errorMessage } from '../errorMessage';
import type { HandoffService } from '../handoff/handoffService';
import type { ResilientQueue } from '../handoff/resilientQueue';
import type { Clock, HandoffQueue, Logger } from '../ports';
import type { School } from '../schools/schoolDirectory';
import type { TurnSchool } from '../schools/turnSchool';
import type { CrisisReplies } from './crisisReplies';
import type { YesNoQuestions } from '../yesNoQuestions';
import { ADVISER_OFFER_DIALOG } from '../triage/adviserOfferDialog';

/** How long a crisis reply waits to learn the pupil's school before saying it cannot tell who will see the chat. */
const SCHOOL_LOOKUP_MS = 1500;

/** Marks a turn whose crisis reply has gone out: read only through crisisReplied. */
const CRISIS_REPLIED = Symbol('crisisReplied');

/**
 * True once the turn's crisis reply has gone out: a turn that fails after it keeps its replies
 * (the web chat channel), and gets no error message on top (the turn error handler).
 */
export function crisisReplied(context: TurnContext): boolean {
  return context.turnState.get<boolean | undefined>(CRISIS_REPLIED) === true;
}

const isFlag = (value: string): value is FlagName => FlagName.safeParse(value).success;

/** The work's result, or undefined if it fails or takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A crisis and what follows it. The disclosure is answered at once (before storage is touched),
 * queued as urgent, and followed by who will see the chat, the crisis contacts and "Are you safe
 * right now?". The conversation then stays in a supportive mode: short replies that each name a
 * way to talk to someone now, no careers menu, until the pupil asks a careers question or says
 * they are OK to carry on, or an adviser closes the chat. A later disclosure starts it again and
 * queues (and so alerts) again.
 */
export class CrisisMode {
  constructor(
    private readonly replies: CrisisReplies,
    private readonly content: Content,
    private readonly reader: Pick<MessageReader, 'asksSomething'>,
    private readonly data: StatePropertyAccessor<ConversationData>,
    private readonly queue: Pick<HandoffQueue, 'get'>,
    private readonly kept: Pick<ResilientQueue, 'isKept'>,
    private readonly handoff: HandoffService,
    private readonly schools: TurnSchool,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly questions: YesNoQuestions,
  ) {}

  /** Answers a crisis message and queues the conversation as urgent, whatever storage does. */
  async onDisclosure(context: TurnContext, flags: FlagName[]): Promise<void> {
    // The first words go out before any storage call that might fail or hang.
    await context.sendActivity(textReply(this.replies.text('crisis.reply')));
    context.turnState.set(CRISIS_REPLIED, true);
    const school = await within(this.schools.of(context), SCHOOL_LOOKUP_MS);
    await context.sendActivities(this.replies.afterDisclosure(this.replies.whoIsThere(school)));
    let topic: string | undefined;
    let safety: SafetyAnswer | undefined;
    try {
      const data = await this.data.get(context, emptyConversationData());
      data.flags = [...new Set([...(data.flags ?? []), ...flags])];
      data.handoffRequested = true;
      // The conversation is queued already: a "yes" now answers "Are you safe right now?".
      await this.questions.withdraw(context, ADVISER_OFFER_DIALOG);
      safety = data.crisis?.safety;
      data.crisis = { since: data.crisis?.since ?? this.clock.now().toISOString(), awaitingSafety: true, replies: data.crisis?.replies ?? 0, ...(safety ? { safety } : {}) };
      topic = data.lastTopic;
    } catch (error) {
      this.logger.error('crisis: conversation state unavailable; queueing anyway', { conversationId: context.activity.conversation?.id, error: errorMessage(error) });
    }
    await this.handoff.request(context, flags, topic, { safety });
  }

  /**
   * A turn of a conversation in crisis mode: true when it is answered here. False when the
   * conversation is not in crisis mode, or the pupil has just left it with a careers question
   * (which the dialogs then answer).
   */
  async run(context: TurnContext, school: School | undefined): Promise<boolean> {
    const data = await this.data.get(context, emptyConversationData());
    const crisis = data.crisis;
    if (!crisis) return false;
    if (!(await this.stillQueued(context))) {
      // An adviser has closed the conversation: back to the bot as usual.
      data.crisis = undefined;
      return false;
    }
    const text = context.activity.text ?? '';
    const who = this.replies.whoIsThere(school);
    const safety = crisis.awaitingSafety ? this.replies.readSafety(text) : undefined;
    if (safety) {
      crisis.awaitingSafety = false;
      crisis.safety = safety;
      await context.sendActivities(this.replies.afterSafety(safety, who));
      // The adviser sees the answer on the urgent item; a "no" or "not sure" queues (and alerts) again.
      if (safety !== 'safe') await this.handoff.request(context, data.flags.filter(isFlag), data.lastTopic, { safety });
      return true;
    }
    if (this.replies.asksForContacts(text)) {
      await context.sendActivity(this.replies.contacts(who));
      return true;
    }
    if (this.replies.wantsToCarryOn(text)) {
      data.crisis = undefined;
      await context.sendActivities([textReply(this.replies.text('crisis.carry-on')), menuReply(this.content)]);
      return true;
    }
    // A careers question or a guidance question is moving on, as much as "I'm OK to carry on".
    if (this.reader.asksSomething(context, text)) {
      data.crisis = undefined;
      await context.sendActivity(textReply(this.replies.text('crisis.moving-on')));
      return false;
    }
    await context.sendActivity(this.replies.supportive(crisis.replies, who));
    crisis.replies += 1;
    return true;
  }

  /** True while the urgent item is open, or its write is kept to retry; storage trouble counts as open. */
  private async stillQueued(context: TurnContext): Promise<boolean> {
    const conversationId = context.activity.conversation?.id ?? '';
    if (this.kept.isKept(conversationId)) return true;
    try {
      return (await this.queue.get(conversationId)) !== undefined;
    } catch {
      return true;
    }
  }
}

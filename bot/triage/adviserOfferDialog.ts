import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { emptyConversationData, type ConversationData } from '../../dialogs/conversationData';
import type { AdviserOffer } from '../../dialogs/guidanceServices';
import { textReply } from '../../dialogs/replies';
import { YesNoQuestionDialog } from '../../dialogs/yesNoQuestionDialog';
import type { Content } from '../../knowledge/loadContent';
import { FlagName } from '../../knowledge/triageSchema';
import type { HandoffService } from '../handoff/handoffService';
import type { HandoffWording } from '../handoff/handoffWording';
import type { InsightsRecorder } from '../insights/insightsRecorder';
import type { TurnSchool } from '../schools/turnSchool';
import { priorityOf } from './flagDetector';

export const ADVISER_OFFER_DIALOG = 'adviserOffer';

const isFlag = (value: string): value is FlagName => FlagName.safeParse(value).success;

/**
 * "Would you like to talk to an adviser?" (after a triage flag, or the third message in a row
 * the bot could not place). Yes queues the conversation with every flag it has raised, and says
 * when an adviser will see it; no carries on and counts the declined offer for the school.
 */
export class AdviserOfferDialog extends YesNoQuestionDialog<AdviserOffer> {
  constructor(
    private readonly content: Content,
    private readonly data: StatePropertyAccessor<ConversationData>,
    private readonly handoff: HandoffService,
    private readonly schools: TurnSchool,
    private readonly insights: InsightsRecorder,
    private readonly wording: HandoffWording,
  ) {
    super(ADVISER_OFFER_DIALOG, [content.answer('button.yes').text, content.answer('button.no').text]);
  }

  protected async onYes(context: TurnContext, offer: AdviserOffer): Promise<void> {
    const data = await this.data.get(context, emptyConversationData());
    // A new request (the offer is made only when nothing is queued): flags noted earlier give the
    // adviser context, but an urgent one belongs to a crisis an adviser has already closed, so it
    // does not make this request urgent.
    const earlier = (data.flags ?? []).filter(isFlag).filter((flag) => priorityOf([flag]) !== 'urgent');
    const flags = [...new Set([...earlier, ...offer.flags])].filter(isFlag);
    await this.handoff.request(context, flags, data.lastTopic);
    data.handoffRequested = true;
    await context.sendActivity(textReply(await this.wording.queued(await this.schools.of(context))));
  }

  protected async onNo(context: TurnContext): Promise<void> {
    const school = await this.schools.of(context);
    if (school) this.insights.onTurn(context, school.id, { kind: 'outcome', outcome: 'declined-offer' });
    await context.sendActivity(textReply(this.content.answer('handoff.declined').text));
  }
}

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
    const flags = [...new Set([...(data.flags ?? []), ...offer.flags])].filter(isFlag);
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

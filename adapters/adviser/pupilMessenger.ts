import { ActivityTypes, type Activity, type CloudAdapter, type TurnContext } from 'botbuilder';
import { textReply } from '../../dialogs/replies';
import { speakAsAdviser } from '../../bot/handoff/adviserAccount';
import type { ConversationReferences } from '../../bot/handoff/conversationReferences';
import { DIRECTLINE_CHANNEL_ID, type DirectLineAdapter } from '../directline/directLineAdapter';

/**
 * Sends a message to a pupil on their own channel, proactively, from the stored conversation
 * reference: the web chat through its adapter (the shared log, so any instance's stream sees it),
 * Teams and other channels through CloudAdapter.continueConversationAsync.
 */
export class PupilMessenger {
  constructor(
    private readonly references: ConversationReferences,
    private readonly directLine: DirectLineAdapter,
    private readonly cloud?: { adapter: CloudAdapter; appId: string },
  ) {}

  async send(conversationId: string, text: string, as: 'adviser' | 'bot', buttons: string[] = []): Promise<void> {
    const reference = await this.references.get(conversationId);
    if (!reference) throw new Error(`PupilMessenger.send(): no conversation reference for ${conversationId}`);
    const activity: Partial<Activity> = buttons.length > 0 ? textReply(text, buttons) : { type: ActivityTypes.Message, text, textFormat: 'plain' };
    const deliver = async (context: TurnContext) => {
      if (as === 'adviser') speakAsAdviser(context);
      await context.sendActivity(activity);
    };
    if (reference.channelId === DIRECTLINE_CHANNEL_ID) {
      await this.directLine.continueConversation(reference, deliver);
      return;
    }
    if (!this.cloud) throw new Error(`PupilMessenger.send(): the ${reference.channelId} channel is not enabled`);
    await this.cloud.adapter.continueConversationAsync(this.cloud.appId, reference, deliver);
  }
}

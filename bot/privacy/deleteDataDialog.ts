import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { emptyConversationData, type ConversationData } from '../../dialogs/conversationData';
import { textReply } from '../../dialogs/replies';
import { YesNoQuestionDialog, type QuestionOptions } from '../../dialogs/yesNoQuestionDialog';
import type { Content } from '../../knowledge/loadContent';
import type { ConversationEraser } from './conversationEraser';

export const DELETE_DATA_DIALOG = 'deleteData';

/**
 * Says plainly, with the crisis contacts, that nothing is deleted while a crisis is open (the
 * safeguarding record comes first); true when that is so and the pupil has been told.
 */
export async function keptForSafety(context: TurnContext, content: Content, eraser: ConversationEraser, data: ConversationData): Promise<boolean> {
  if (!(await eraser.crisisOpen(context.activity.conversation?.id ?? '', data.flags ?? []))) return false;
  await context.sendActivity(textReply(content.answer('privacy.kept-for-safety').text));
  return true;
}

/** "Delete everything about this chat?": yes deletes it (unless a crisis is open), no keeps it. */
export class DeleteDataDialog extends YesNoQuestionDialog<QuestionOptions> {
  constructor(
    private readonly content: Content,
    private readonly data: StatePropertyAccessor<ConversationData>,
    private readonly eraser: ConversationEraser,
  ) {
    super(DELETE_DATA_DIALOG, [content.answer('privacy.button-delete').text, content.answer('privacy.button-keep').text]);
  }

  protected async onYes(context: TurnContext): Promise<void> {
    // A crisis raised since the question was asked: still nothing is deleted.
    if (await keptForSafety(context, this.content, this.eraser, await this.data.get(context, emptyConversationData()))) return;
    await this.eraser.erase(context);
    await context.sendActivity(textReply(this.content.answer('privacy.deleted').text));
  }

  protected async onNo(context: TurnContext): Promise<void> {
    await context.sendActivity(textReply(this.content.answer('privacy.delete-cancelled').text));
  }
}

import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { AnswerRouter } from '../../dialogs/answerRouter';
import { emptyConversationData, type ConversationData } from '../../dialogs/conversationData';
import { textReply } from '../../dialogs/replies';
import type { Content } from '../../knowledge/loadContent';
import type { YesNoQuestions } from '../yesNoQuestions';
import type { ConversationEraser } from './conversationEraser';
import { DELETE_DATA_DIALOG, keptForSafety } from './deleteDataDialog';

/**
 * "Delete my data": asks the pupil to confirm (DeleteDataDialog), or says plainly that it is
 * kept for the safeguarding team while a crisis is open. Runs after the safeguarding check, so a
 * crisis in the same message is answered first.
 */
export class DataDeletionStep {
  constructor(
    private readonly content: Content,
    private readonly router: AnswerRouter,
    private readonly data: StatePropertyAccessor<ConversationData>,
    private readonly eraser: ConversationEraser,
    private readonly questions: YesNoQuestions,
  ) {}

  /** True when the message asked for the pupil's data to be deleted, and is answered. */
  async run(context: TurnContext): Promise<boolean> {
    const route = this.router.routeInTurn(context, context.activity.text ?? '');
    if (route.kind !== 'command' || route.command !== 'delete') return false;
    if (await keptForSafety(context, this.content, this.eraser, await this.data.get(context, emptyConversationData()))) return true;
    const buttons = [this.content.answer('privacy.button-delete').text, this.content.answer('privacy.button-keep').text];
    await this.questions.ask(context, DELETE_DATA_DIALOG, { prompt: textReply(this.content.answer('privacy.delete-confirm').text, buttons) });
    return true;
  }
}

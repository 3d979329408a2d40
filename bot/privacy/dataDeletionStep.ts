import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { AnswerRouter } from '../../dialogs/answerRouter';
import { emptyConversationData, type ConversationData } from '../../dialogs/conversationData';
import { normalise } from '../../dialogs/normalise';
import { readYesNo } from '../../dialogs/pupilProfile';
import { textReply } from '../../dialogs/replies';
import type { Content } from '../../knowledge/loadContent';
import type { ConversationEraser } from './conversationEraser';

/**
 * "Delete my data": asks the pupil to confirm, then deletes everything of the conversation, or
 * says plainly that it is kept for the safeguarding team while a crisis is open. Runs after the
 * safeguarding check, so a crisis in the same message is answered first.
 */
export class DataDeletionStep {
  constructor(
    private readonly content: Content,
    private readonly router: AnswerRouter,
    private readonly data: StatePropertyAccessor<ConversationData>,
    private readonly eraser: ConversationEraser,
  ) {}

  /** True when the turn was a request to delete, or the answer to its question, and is answered. */
  async run(context: TurnContext): Promise<boolean> {
    const text = context.activity.text ?? '';
    const data = await this.data.get(context, emptyConversationData());
    if (data.pendingErasure) {
      data.pendingErasure = undefined;
      const confirmed = this.readConfirmation(text);
      if (confirmed === true) return this.eraseUnlessCrisis(context, data);
      if (confirmed === false) {
        await context.sendActivity(textReply(this.content.answer('privacy.delete-cancelled').text));
        return true;
      }
      // Neither yes nor no: the pupil has moved on, and nothing is deleted.
    }
    const route = this.router.routeInTurn(context, text);
    if (route.kind !== 'command' || route.command !== 'delete') return false;
    if (await this.keptForSafety(context, data)) return true;
    data.pendingErasure = true;
    const buttons = [this.content.answer('privacy.button-delete').text, this.content.answer('privacy.button-keep').text];
    await context.sendActivity(textReply(this.content.answer('privacy.delete-confirm').text, buttons));
    return true;
  }

  private async eraseUnlessCrisis(context: TurnContext, data: ConversationData): Promise<true> {
    if (await this.keptForSafety(context, data)) return true;
    await this.eraser.erase(context);
    await context.sendActivity(textReply(this.content.answer('privacy.deleted').text));
    return true;
  }

  private async keptForSafety(context: TurnContext, data: ConversationData): Promise<boolean> {
    if (!(await this.eraser.crisisOpen(context.activity.conversation?.id ?? '', data.flags ?? []))) return false;
    await context.sendActivity(textReply(this.content.answer('privacy.kept-for-safety').text));
    return true;
  }

  private readConfirmation(text: string): boolean | undefined {
    const said = normalise(text);
    if (said === normalise(this.content.answer('privacy.button-delete').text)) return true;
    if (said === normalise(this.content.answer('privacy.button-keep').text)) return false;
    return readYesNo(text);
  }
}

import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import type { QuestionOptions, QuestionResult } from '../dialogs/yesNoQuestionDialog';

/**
 * The bot's yes/no questions (YesNoQuestionDialog): a DialogSet of their own, on a stack of their
 * own in the conversation state, because they are asked and answered around the guidance dialogs
 * rather than inside them. An offer made after a topic's answer leaves the topic waiting where it
 * was; the next message goes to the question first, and one that is neither yes nor no ends the
 * question and goes on through the bot as a new message. At most one question waits at a time.
 */
export class YesNoQuestions {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly state: StatePropertyAccessor<DialogState>,
    questions: Dialog[],
  ) {
    this.dialogs = new DialogSet(state);
    for (const question of questions) this.dialogs.add(question);
  }

  /** Gives the waiting question, if any, the pupil's message: true when it was the answer and has been dealt with. */
  async answer(context: TurnContext): Promise<boolean> {
    // Most messages answer no question: no dialog context is made for them.
    if (!(await this.state.get(context))?.dialogStack?.length) return false;
    const dc = await this.dialogs.createContext(context);
    const turn = await dc.continueDialog();
    const result: QuestionResult | undefined = turn.result;
    return turn.status === DialogTurnStatus.complete && result?.answered === true;
  }

  /** Asks a question (the one waiting before, if any, is dropped). */
  async ask<O extends QuestionOptions>(context: TurnContext, questionId: string, options: O): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) await dc.cancelAllDialogs();
    await dc.beginDialog(questionId, options);
  }

  /** Drops the question if it is the one waiting. */
  async withdraw(context: TurnContext, questionId: string): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog?.id === questionId) await dc.cancelAllDialogs();
  }
}

import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type Dialog, type DialogState } from 'botbuilder-dialogs';
import { besidesYesNo } from '../dialogs/pupilProfile';
import type { QuestionOptions, QuestionResult } from '../dialogs/yesNoQuestionDialog';

/** Whether words besides a yes or no ask something the bot answers ("no, how do I become a nurse"). */
export type AsksSomething = (context: TurnContext, text: string) => boolean;

/**
 * The bot's yes/no questions (YesNoQuestionDialog): a DialogSet of their own, on a stack of their
 * own in the conversation state, because they are asked and answered around the guidance dialogs
 * rather than inside them. An offer made after a topic's answer leaves the topic waiting where it
 * was; the next message goes to the question first, and one that is neither yes nor no ends the
 * question and goes on through the bot as a new message. So does a yes or no that also asks
 * something new ("no, how do I become a nurse"), once the yes or no has been acted on. At most one
 * question waits at a time.
 */
export class YesNoQuestions {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly state: StatePropertyAccessor<DialogState>,
    questions: Dialog[],
    private readonly asksSomething: AsksSomething = () => false,
  ) {
    this.dialogs = new DialogSet(state);
    for (const question of questions) this.dialogs.add(question);
  }

  /** Gives the waiting question, if any, the pupil's message: true when it was the answer, has been dealt with, and asked nothing more. */
  async answer(context: TurnContext): Promise<boolean> {
    // Most messages answer no question: no dialog context is made for them.
    if (!(await this.state.get(context))?.dialogStack?.length) return false;
    const dc = await this.dialogs.createContext(context);
    const turn = await dc.continueDialog();
    const result: QuestionResult | undefined = turn.result;
    if (turn.status !== DialogTurnStatus.complete || result?.answered !== true) return false;
    const besides = besidesYesNo(context.activity.text ?? '');
    return besides === '' || !this.asksSomething(context, besides);
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

import type { Activity, TurnContext } from 'botbuilder';
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { YesNoPrompt } from './yesNoPrompt';

const QUESTION = 'question';
const CONFIRM = 'confirm';

export interface QuestionOptions {
  /** the question as the pupil sees it, text and buttons */
  prompt: Partial<Activity>;
}

/** What a yes/no question hands back: whether the pupil answered it (yes or no) rather than moving on. */
export interface QuestionResult {
  answered: boolean;
}

/**
 * A yes/no question the bot asks (an adviser? delete my data?): a waterfall of the question
 * (YesNoPrompt, a ConfirmPrompt) and what follows the answer. A reply that is neither yes nor no
 * ends it unanswered, and the message is the bot's to take as a new one.
 */
export abstract class YesNoQuestionDialog<O extends QuestionOptions> extends ComponentDialog<O> {
  protected constructor(id: string, labels: readonly [yes: string, no: string]) {
    super(id);
    this.addDialog(new WaterfallDialog<O>(QUESTION, [this.ask.bind(this), this.answered.bind(this)]));
    this.addDialog(new YesNoPrompt(CONFIRM, labels));
  }

  protected abstract onYes(context: TurnContext, options: O): Promise<void>;
  protected abstract onNo(context: TurnContext, options: O): Promise<void>;

  private ask(step: WaterfallStepContext<O>): Promise<DialogTurnResult> {
    return step.prompt(CONFIRM, { prompt: step.options.prompt });
  }

  private async answered(step: WaterfallStepContext<O>): Promise<DialogTurnResult> {
    const answer: unknown = step.result;
    if (typeof answer !== 'boolean') return step.endDialog({ answered: false } satisfies QuestionResult);
    if (answer) await this.onYes(step.context, step.options);
    else await this.onNo(step.context, step.options);
    return step.endDialog({ answered: true } satisfies QuestionResult);
  }
}

import type { TurnContext } from 'botbuilder';
import { ConfirmPrompt, ListStyle, type PromptOptions, type PromptRecognizerResult } from 'botbuilder-dialogs';
import { normalise } from './normalise';
import { readYesNo } from './pupilProfile';

/**
 * A ConfirmPrompt for the bot's yes/no questions (an adviser, deleting one's data), as pupils
 * answer them: its own two buttons' labels, or yes and no as the rest of the bot reads them
 * (readYesNo, slang included). The question is sent as written, buttons and all (ListStyle.none).
 *
 * Anything else is not asked again: the pupil has moved on, and the prompt ends with no value,
 * so the message can be taken as the new message it is.
 */
export class YesNoPrompt extends ConfirmPrompt {
  constructor(
    dialogId: string,
    private readonly labels: readonly [yes: string, no: string],
  ) {
    super(dialogId, async () => true);
    this.style = ListStyle.none;
    this.confirmChoices = [labels[0], labels[1]];
  }

  protected override async onRecognize(context: TurnContext, _state: object, _options: PromptOptions): Promise<PromptRecognizerResult<boolean>> {
    const text = context.activity.text ?? '';
    const said = normalise(text);
    if (said === normalise(this.labels[0])) return { succeeded: true, value: true };
    if (said === normalise(this.labels[1])) return { succeeded: true, value: false };
    const value = readYesNo(text);
    return value === undefined ? { succeeded: false } : { succeeded: true, value };
  }
}

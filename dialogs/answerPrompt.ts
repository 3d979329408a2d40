import type { TurnContext } from 'botbuilder';
import type { PromptOptions } from 'botbuilder-dialogs';
import { renderAnswer } from './answerView';
import { CancelAndHelpPrompt } from './cancelAndHelpPrompt';
import { dataOf } from './guidanceServices';

/** Which answer an AnswerPrompt shows: kept in the prompt's options in place of the message itself. */
export interface ShownAnswer {
  answerId: string;
  canGoBack: boolean;
}

export interface AnswerPromptOptions extends PromptOptions {
  /** the answer to show, or none to wait without showing anything (after a rephrase prompt) */
  answer?: ShownAnswer;
}

function shownAnswer(options: PromptOptions): ShownAnswer | undefined {
  if (!('answer' in options)) return undefined;
  const { answer } = options;
  if (typeof answer !== 'object' || answer === null || !('answerId' in answer) || !('canGoBack' in answer)) return undefined;
  const { answerId, canGoBack } = answer;
  return typeof answerId === 'string' && typeof canGoBack === 'boolean' ? { answerId, canGoBack } : undefined;
}

/**
 * A topic's answer as a TextPrompt: the answer and its buttons, then the pupil's reply. It keeps
 * the answer's id in its state rather than the message (most of a conversation's saved state
 * otherwise, read, hashed and written on every turn), and makes the message from content each
 * time it is shown: first, after "help", and for a message with no text.
 */
export class AnswerPrompt extends CancelAndHelpPrompt {
  protected override async onPrompt(context: TurnContext, _state: object, options: PromptOptions): Promise<void> {
    const shown = shownAnswer(options);
    if (!shown) return;
    const { content, now } = this.services;
    const { profile } = await dataOf(this.services, context);
    await context.sendActivity(renderAnswer(content, content.answer(shown.answerId), { now: now(), profile, canGoBack: shown.canGoBack }));
  }
}

import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/schema';
import { buttonsFor } from './answerView';
import type { AnswerPromptOptions } from './answerPrompt';
import { dataOf, type GuidanceServices } from './guidanceServices';
import { replyNotUnderstood } from './notUnderstood';
import { readAgeAnswer } from './pupilProfile';
import { textReply } from './replies';

/** The prompts a topic asks with (registered beside the topics in MainDialog): its age question (CancelAndHelpPrompt), its answer (AnswerPrompt). */
export const AGE_PROMPT = 'agePrompt';
export const REPLY_PROMPT = 'replyPrompt';
const AGE_BUTTONS = ['13', '14', '15', '16', '17', '18'];

export interface TopicOptions {
  answerId: string;
  /** answers shown before this one in the topic, for "back" */
  history?: string[];
  /** set after a message the bot did not understand: wait again without repeating the answer */
  rephrase?: boolean;
}

/** What a topic dialog hands back to the main dialog when the pupil moves on. */
export interface TopicResult {
  switchTo?: { answerId: string; topic: TopicId };
}

/**
 * One guidance topic, as a waterfall: ask the pupil's age when the answer depends on it and the
 * bot does not know it, show the answer with its follow-up buttons, then read the reply. A button
 * or a question within the topic shows the next answer (the waterfall starts again with it);
 * "tell me more" and "back" move along; a question about another topic ends the topic and hands
 * it back to the main dialog. "menu", "help" and "bye" are the main dialog's (CancelAndHelpDialog).
 */
export abstract class GuidanceTopicDialog extends WaterfallDialog<TopicOptions> {
  protected constructor(
    id: string,
    private readonly topic: TopicId,
    private readonly services: GuidanceServices,
  ) {
    super(id);
    this.addStep(this.askAge.bind(this));
    this.addStep(this.showAnswer.bind(this));
    this.addStep(this.readReply.bind(this));
  }

  private async askAge(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const { answerId, rephrase = false } = step.options;
    const { content } = this.services;
    const { profile } = await dataOf(this.services, step.context);
    if (rephrase || !content.answer(answerId).askAge || profile.age !== undefined || profile.yearGroup !== undefined) return step.next();
    return step.prompt(AGE_PROMPT, { prompt: textReply(content.answer('prompt.age').text, AGE_BUTTONS) });
  }

  private async showAnswer(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const { answerId, history = [], rephrase = false } = step.options;
    const data = await dataOf(this.services, step.context);
    const ageAnswer: unknown = step.result;
    if (typeof ageAnswer === 'string') Object.assign(data.profile, readAgeAnswer(ageAnswer));
    data.lastTopic = this.topic;
    // After a message it did not understand the bot has asked the pupil to rephrase: it waits
    // for the reply without showing the answer again.
    const options: AnswerPromptOptions = rephrase ? {} : { answer: { answerId, canGoBack: history.length > 0 } };
    return step.prompt(REPLY_PROMPT, options);
  }

  private async readReply(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const { answerId, history = [] } = step.options;
    const { content, router } = this.services;
    const reply: unknown = step.result;
    const text = typeof reply === 'string' ? reply : '';
    const answer = content.answer(answerId);
    const route = router.routeInTurn(step.context, text, this.topic);

    if (route.kind === 'command' && route.command === 'more' && answer.more) {
      return step.replaceDialog(this.id, { answerId: answer.more, history: [...history, answerId] } satisfies TopicOptions);
    }
    if (route.kind === 'command' && route.command === 'back') {
      const previous = history[history.length - 1];
      if (!previous) return step.endDialog({} satisfies TopicResult);
      return step.replaceDialog(this.id, { answerId: previous, history: history.slice(0, -1) } satisfies TopicOptions);
    }
    const data = await dataOf(this.services, step.context);
    if (route.kind === 'answer') {
      data.notUnderstoodInARow = 0;
      if (route.topic !== this.topic) return step.endDialog({ switchTo: { answerId: route.answer.id, topic: route.topic } } satisfies TopicResult);
      return step.replaceDialog(this.id, { answerId: route.answer.id, history: [...history, answerId] } satisfies TopicOptions);
    }
    await replyNotUnderstood(this.services, step.context, data, buttonsFor(content, answer, history.length > 0));
    return step.replaceDialog(this.id, { answerId, history, rephrase: true } satisfies TopicOptions);
  }
}

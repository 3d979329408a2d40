import { ComponentDialog, TextPrompt, WaterfallDialog, type WaterfallStepContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/schema';
import { renderAnswer, buttonsFor } from './answerView';
import { dataOf, type GuidanceServices } from './guidanceServices';
import { replyNotUnderstood } from './notUnderstood';
import { readAgeAnswer } from './pupilProfile';
import { textReply } from './replies';

const FLOW = 'flow';
const REPLY_PROMPT = 'reply';
const AGE_PROMPT = 'age';

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
 * One guidance topic: show an answer with its follow-up buttons, then read the reply: a button
 * or a question within the topic shows the next answer; "tell me more" and "back" move along;
 * a question about another topic hands back to the main dialog, which switches topic.
 * Answers that depend on age ask for it first when the bot does not know it.
 */
export abstract class GuidanceTopicDialog extends ComponentDialog {
  protected constructor(
    id: string,
    readonly topic: TopicId,
    protected readonly services: GuidanceServices,
  ) {
    super(id);
    this.addDialog(new TextPrompt(REPLY_PROMPT));
    this.addDialog(new TextPrompt(AGE_PROMPT));
    this.addDialog(new WaterfallDialog<TopicOptions>(FLOW, [this.askAgeIfNeeded.bind(this), this.showAnswer.bind(this), this.handleReply.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private options(step: WaterfallStepContext<TopicOptions>): TopicOptions {
    const { answerId, history = [], rephrase = false } = step.options;
    return { answerId, history, rephrase };
  }

  private async askAgeIfNeeded(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const { answerId, rephrase } = this.options(step);
    const data = await dataOf(this.services, step.context);
    const answer = this.services.content.answer(answerId);
    if (rephrase || !answer.askAge || data.profile.age !== undefined || data.profile.yearGroup !== undefined) return step.next();
    return step.prompt(AGE_PROMPT, { prompt: textReply(this.services.content.answer('prompt.age').text, ['13', '14', '15', '16', '17', '18']) });
  }

  private async showAnswer(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const { answerId, history = [], rephrase } = this.options(step);
    const data = await dataOf(this.services, step.context);
    if (typeof step.result === 'string') Object.assign(data.profile, readAgeAnswer(step.result));
    const answer = this.services.content.answer(answerId);
    data.lastTopic = this.topic;
    if (rephrase) return step.prompt(REPLY_PROMPT, {});
    const prompt = renderAnswer(this.services.content, answer, { now: this.services.now(), profile: data.profile, canGoBack: history.length > 0 });
    return step.prompt(REPLY_PROMPT, { prompt });
  }

  /**
   * The next answer replaces the flow inside this topic dialog, so the dialog stack stays one
   * topic deep however long the pupil stays in the topic.
   */
  private async handleReply(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const { answerId, history = [] } = this.options(step);
    const { content, router } = this.services;
    const text = typeof step.result === 'string' ? step.result : '';
    const answer = content.answer(answerId);
    const data = await dataOf(this.services, step.context);
    const route = router.routeInTurn(step.context, text, this.topic);

    if (route.kind === 'command' && route.command === 'more' && answer.more) {
      return step.replaceDialog(FLOW, { answerId: answer.more, history: [...history, answerId] });
    }
    if (route.kind === 'command' && route.command === 'back') {
      const previous = history[history.length - 1];
      if (!previous) return step.endDialog({} satisfies TopicResult);
      return step.replaceDialog(FLOW, { answerId: previous, history: history.slice(0, -1) });
    }
    if (route.kind === 'answer') {
      data.notUnderstoodInARow = 0;
      if (route.topic !== this.topic) return step.endDialog({ switchTo: { answerId: route.answer.id, topic: route.topic } } satisfies TopicResult);
      return step.replaceDialog(FLOW, { answerId: route.answer.id, history: [...history, answerId] });
    }
    await replyNotUnderstood(this.services, step.context, data, buttonsFor(content, answer, history.length > 0));
    return step.replaceDialog(FLOW, { answerId, history, rephrase: true });
  }
}

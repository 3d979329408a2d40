import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/schema';
import { buttonsFor } from './answerView';
import type { AnswerPromptOptions } from './answerPrompt';
import { dataOf, type GuidanceServices } from './guidanceServices';
import { destinationOf, type Destination } from './messageReader';
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

/** What a topic dialog (or a careers dialog) hands back to the main dialog when the pupil moves on. */
export interface TopicResult {
  switchTo?: Destination;
}

/**
 * One guidance topic, as a waterfall: ask the pupil's age when the answer depends on it and the
 * bot does not know it, show the answer with its follow-up buttons, then read the reply. A button
 * or a question within the topic shows the next answer (the waterfall starts again with it);
 * "tell me more" and "back" move along; a question about another topic or a job ends the topic
 * and hands it back to the main dialog. "menu", "help" and "bye" are the main dialog's
 * (CancelAndHelpDialog). A reply to the age question that also asks something new ("I'm 15, can
 * I get a job at a bakery?") is answered, with the age kept.
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
    if (typeof ageAnswer === 'string') {
      Object.assign(data.profile, readAgeAnswer(ageAnswer));
      const asked = destinationOf(this.services.reader.read(step.context, ageAnswer, { topic: this.topic }));
      if (asked && !(asked.kind === 'guidance' && asked.answerId === answerId)) return this.moveTo(step, asked, history);
    }
    data.lastTopic = this.topic;
    data.career = undefined;
    // After a message it did not understand the bot has asked the pupil to rephrase: it waits
    // for the reply without showing the answer again.
    const options: AnswerPromptOptions = rephrase ? {} : { answer: { answerId, canGoBack: history.length > 0 } };
    return step.prompt(REPLY_PROMPT, options);
  }

  private async readReply(step: WaterfallStepContext<TopicOptions>): Promise<DialogTurnResult> {
    const { answerId, history = [] } = step.options;
    const { content, reader } = this.services;
    const reply: unknown = step.result;
    const text = typeof reply === 'string' ? reply : '';
    const answer = content.answer(answerId);
    const subject = answer.subject ?? content.topics.find((topic) => topic.id === this.topic)?.subject;
    const reading = reader.read(step.context, text, { topic: this.topic, subject });

    if (reading.kind === 'command' && reading.command === 'more' && answer.more) {
      return step.replaceDialog(this.id, { answerId: answer.more, history: [...history, answerId] } satisfies TopicOptions);
    }
    if (reading.kind === 'command' && reading.command === 'back') {
      const previous = history[history.length - 1];
      if (!previous) return step.endDialog({} satisfies TopicResult);
      return step.replaceDialog(this.id, { answerId: previous, history: history.slice(0, -1) } satisfies TopicOptions);
    }
    const data = await dataOf(this.services, step.context);
    const asked = destinationOf(reading);
    if (asked) {
      data.notUnderstoodInARow = 0;
      return this.moveTo(step, asked, [...history, answerId]);
    }
    await replyNotUnderstood(this.services, step.context, data, buttonsFor(content, answer, history.length > 0));
    return step.replaceDialog(this.id, { answerId, history, rephrase: true } satisfies TopicOptions);
  }

  /** Shows an answer of this topic next (with `history` for "back"); anything else ends the topic and hands it to the main dialog. */
  private async moveTo(step: WaterfallStepContext<TopicOptions>, asked: Destination, history: string[]): Promise<DialogTurnResult> {
    if (asked.kind === 'guidance' && asked.topic === this.topic) return step.replaceDialog(this.id, { answerId: asked.answerId, history } satisfies TopicOptions);
    return step.endDialog({ switchTo: asked } satisfies TopicResult);
  }
}

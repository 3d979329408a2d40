import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { Dialog, DialogReason, type DialogContext, type DialogInstance, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/schema';
import { buttonsFor, renderAnswer } from './answerView';
import { dataOf, type GuidanceServices } from './guidanceServices';
import { replyNotUnderstood } from './notUnderstood';
import { readAgeAnswer } from './pupilProfile';
import { textReply } from './replies';
import type { TopicOptions, TopicResult } from './guidanceTopicDialog';

/**
 * What a flow waits for. The numbers are the steps of the waterfall this dialog replaced (ask
 * age, show answer, handle reply), so a flow saved by that waterfall resumes here.
 */
const WAITING_FOR_AGE = 0;
const WAITING_FOR_REPLY = 1;

interface FlowState {
  options: TopicOptions;
  stepIndex: number;
  /**
   * What the flow last asked, sent again on "help" and when a message has no text (as a prompt
   * does): the pupil's age, or the answer of `options`. Only which, not the message itself: made
   * again from content when needed, so the saved state does not carry the answer's whole text and
   * buttons (two thirds of a conversation's state), deflated and stored on every turn.
   */
  asked?: 'age' | 'answer';
  /** the message itself, as flows saved before `asked` keep it: still sent again as it is */
  prompt?: Partial<Activity>;
}

function flowState(instance: DialogInstance | undefined): FlowState {
  if (!instance) throw new Error('TopicFlowDialog: no active dialog instance');
  return instance.state;
}

/**
 * One topic's conversation: show an answer with its follow-up buttons (asking the pupil's age
 * first when the answer depends on it and the bot does not know it), then read the reply: a
 * button or a question within the topic shows the next answer; "tell me more" and "back" move
 * along; a question about another topic ends the flow and hands it back to the main dialog.
 *
 * It waits for the pupil itself, as a TextPrompt would (same replies, same re-prompting), rather
 * than as a waterfall with a prompt per step: each step and prompt cost a DialogContext and a
 * state manager on every turn.
 */
export class TopicFlowDialog extends Dialog<TopicOptions> {
  constructor(
    id: string,
    private readonly topic: TopicId,
    private readonly services: GuidanceServices,
  ) {
    super(id);
  }

  override async beginDialog(dc: DialogContext, options?: TopicOptions): Promise<DialogTurnResult> {
    if (!options) throw new Error('TopicFlowDialog.beginDialog(): options with an answerId are required');
    const state = flowState(dc.activeDialog);
    state.options = options;
    const { answerId, rephrase = false } = options;
    const data = await dataOf(this.services, dc.context);
    const answer = this.services.content.answer(answerId);
    if (rephrase || !answer.askAge || data.profile.age !== undefined || data.profile.yearGroup !== undefined) return this.showAnswer(dc, state, undefined);
    state.stepIndex = WAITING_FOR_AGE;
    return this.ask(dc, state, 'age');
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { activity } = dc.context;
    if (activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const state = flowState(dc.activeDialog);
    const text = activity.text;
    if (typeof text !== 'string' || text.length === 0) {
      // As a TextPrompt does with a message it cannot read: ask again, unless something was said.
      if (!dc.context.responded) await this.sendPrompt(dc.context, state);
      return Dialog.EndOfTurn;
    }
    return this.onAnswered(dc, state, text);
  }

  /** A flow saved by the old waterfall waits under its own TextPrompt; the prompt ends with the text. */
  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    return this.onAnswered(dc, flowState(dc.activeDialog), result);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.sendPrompt(context, flowState(instance));
  }

  private onAnswered(dc: DialogContext, state: FlowState, text: unknown): Promise<DialogTurnResult> {
    if (state.stepIndex === WAITING_FOR_AGE) return this.showAnswer(dc, state, text);
    return this.handleReply(dc, state, typeof text === 'string' ? text : '');
  }

  private async ask(dc: DialogContext, state: FlowState, asked: FlowState['asked']): Promise<DialogTurnResult> {
    delete state.prompt;
    if (asked) state.asked = asked;
    else delete state.asked;
    await this.sendPrompt(dc.context, state);
    return Dialog.EndOfTurn;
  }

  private async sendPrompt(context: TurnContext, state: FlowState): Promise<void> {
    const prompt = state.prompt ?? (await this.promptFor(context, state));
    if (prompt) await context.sendActivity(prompt);
  }

  /** The message `asked` stands for, made from content as the flow first sent it. */
  private async promptFor(context: TurnContext, state: FlowState): Promise<Partial<Activity> | undefined> {
    const { content } = this.services;
    if (state.asked === 'age') return textReply(content.answer('prompt.age').text, ['13', '14', '15', '16', '17', '18']);
    if (state.asked !== 'answer') return undefined;
    const { answerId, history = [] } = state.options;
    const data = await dataOf(this.services, context);
    return renderAnswer(content, content.answer(answerId), { now: this.services.now(), profile: data.profile, canGoBack: history.length > 0 });
  }

  private async showAnswer(dc: DialogContext, state: FlowState, ageText: unknown): Promise<DialogTurnResult> {
    const { rephrase = false } = state.options;
    state.stepIndex = WAITING_FOR_REPLY;
    const data = await dataOf(this.services, dc.context);
    if (typeof ageText === 'string') Object.assign(data.profile, readAgeAnswer(ageText));
    data.lastTopic = this.topic;
    return this.ask(dc, state, rephrase ? undefined : 'answer');
  }

  private async handleReply(dc: DialogContext, state: FlowState, text: string): Promise<DialogTurnResult> {
    const { answerId, history = [] } = state.options;
    const { content, router } = this.services;
    const answer = content.answer(answerId);
    const data = await dataOf(this.services, dc.context);
    const route = router.routeInTurn(dc.context, text, this.topic);

    // The next answer replaces this flow, so the dialog stack stays one topic deep.
    if (route.kind === 'command' && route.command === 'more' && answer.more) {
      return dc.replaceDialog(this.id, { answerId: answer.more, history: [...history, answerId] } satisfies TopicOptions);
    }
    if (route.kind === 'command' && route.command === 'back') {
      const previous = history[history.length - 1];
      if (!previous) return dc.endDialog({} satisfies TopicResult);
      return dc.replaceDialog(this.id, { answerId: previous, history: history.slice(0, -1) } satisfies TopicOptions);
    }
    if (route.kind === 'answer') {
      data.notUnderstoodInARow = 0;
      if (route.topic !== this.topic) return dc.endDialog({ switchTo: { answerId: route.answer.id, topic: route.topic } } satisfies TopicResult);
      return dc.replaceDialog(this.id, { answerId: route.answer.id, history: [...history, answerId] } satisfies TopicOptions);
    }
    await replyNotUnderstood(this.services, dc.context, data, buttonsFor(content, answer, history.length > 0));
    return dc.replaceDialog(this.id, { answerId, history, rephrase: true } satisfies TopicOptions);
  }
}

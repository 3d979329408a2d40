import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, WaterfallDialog, type DialogState, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { AnswerPrompt } from './answerPrompt';
import { CancelAndHelpPrompt } from './cancelAndHelpPrompt';
import type { TopicId } from '../knowledge/schema';
import { ApprenticeshipsDialog, APPRENTICESHIPS_DIALOG } from './apprenticeshipsDialog';
import { GcseOptionsDialog, GCSE_OPTIONS_DIALOG } from './gcseOptionsDialog';
import { GettingAJobDialog, GETTING_A_JOB_DIALOG } from './gettingAJobDialog';
import { dataOf, type GuidanceServices } from './guidanceServices';
import { AGE_PROMPT, REPLY_PROMPT, type TopicOptions, type TopicResult } from './guidanceTopicDialog';
import { HigherEducationDialog, HIGHER_EDUCATION_DIALOG } from './higherEducationDialog';
import { replyNotUnderstood } from './notUnderstood';
import { Post16Dialog, POST16_DIALOG } from './post16Dialog';
import { readProfileMentions } from './pupilProfile';
import { menuReply, textReply } from './replies';

export const MAIN_DIALOG = 'mainDialog';

const topicDialogs: Record<TopicId, string> = {
  gcse: GCSE_OPTIONS_DIALOG,
  post16: POST16_DIALOG,
  apprenticeships: APPRENTICESHIPS_DIALOG,
  'higher-education': HIGHER_EDUCATION_DIALOG,
  jobs: GETTING_A_JOB_DIALOG,
};

interface RouteOptions {
  /** set when a topic handed back a question about another topic */
  switchTo?: TopicResult['switchTo'];
}

/**
 * The router, a waterfall: reads the pupil's message and opens the topic dialog for it; when that
 * topic ends, switches to the topic it handed back or offers the menu. With no topic under way it
 * answers "help", "bye" and "menu" itself (inside a topic, the topic's prompts do:
 * CancelAndHelpPrompt), and asks the pupil to rephrase what it cannot place.
 *
 * It holds the conversation's dialogs (itself, the topics and their prompts) in one DialogSet on
 * the `dialogState` property, and `run` takes them a turn further, as the BotBuilder core-bot
 * sample's MainDialog.run does.
 */
export class MainDialog extends WaterfallDialog<RouteOptions> {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly services: GuidanceServices,
    dialogState: StatePropertyAccessor<DialogState>,
  ) {
    super(MAIN_DIALOG);
    this.addStep(this.routeStep.bind(this));
    this.addStep(this.afterTopicStep.bind(this));
    this.dialogs = new DialogSet(dialogState)
      .add(this)
      .add(new GcseOptionsDialog(services))
      .add(new Post16Dialog(services))
      .add(new ApprenticeshipsDialog(services))
      .add(new HigherEducationDialog(services))
      .add(new GettingAJobDialog(services))
      .add(new CancelAndHelpPrompt(AGE_PROMPT, services))
      .add(new AnswerPrompt(REPLY_PROMPT, services));
  }

  /** One turn of the dialogs: carry on the dialog under way, or begin routing. */
  async run(context: TurnContext): Promise<void> {
    await this.noteProfile(context);
    const dialogContext = await this.dialogs.createContext(context);
    const results = await dialogContext.continueDialog();
    if (results.status === DialogTurnStatus.empty) await dialogContext.beginDialog(this.id);
  }

  /** Remembers an age or year group the pupil mentions in passing, whatever the dialog, so answers fit them. */
  private async noteProfile(context: TurnContext): Promise<void> {
    const mentioned = readProfileMentions(context.activity.text ?? '');
    if (mentioned.age === undefined && mentioned.yearGroup === undefined) return;
    const data = await dataOf(this.services, context);
    data.profile = { ...data.profile, ...mentioned };
  }

  /** Opens the topic dialog for the message (or the topic handed back), or answers a command or a message it cannot place. */
  private async routeStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { content, router } = this.services;
    const { context } = step;
    const data = await dataOf(this.services, context);
    const route = router.routeInTurn(context, context.activity.text ?? '');
    const target = step.options.switchTo ?? (route.kind === 'answer' ? { answerId: route.answer.id, topic: route.topic } : undefined);
    if (target) {
      data.notUnderstoodInARow = 0;
      return step.beginDialog(topicDialogs[target.topic], { answerId: target.answerId } satisfies TopicOptions);
    }
    if (route.kind === 'command' && route.command === 'help') {
      await context.sendActivities([textReply(content.answer('menu.help').text), menuReply(content)]);
    } else if (route.kind === 'command' && route.command === 'bye') {
      await context.sendActivity(textReply(content.answer('menu.goodbye').text));
    } else if (route.kind === 'command') {
      await context.sendActivity(menuReply(content));
    } else {
      await replyNotUnderstood(this.services, context, data, content.topics.map((topic) => topic.label));
    }
    return step.endDialog();
  }

  /** A topic has ended: switch to the topic it handed back, or offer the menu. */
  private async afterTopicStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const result: TopicResult | undefined = step.result;
    if (result?.switchTo) return step.replaceDialog(this.id, { switchTo: result.switchTo } satisfies RouteOptions);
    await step.context.sendActivity(menuReply(this.services.content));
    return step.endDialog();
  }
}

import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, WaterfallDialog, type DialogState, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { AnswerPrompt } from './answerPrompt';
import { CancelAndHelpPrompt } from './cancelAndHelpPrompt';
import type { TopicId } from '../knowledge/schema';
import { ApprenticeshipsDialog, APPRENTICESHIPS_DIALOG } from './apprenticeshipsDialog';
import { CareerDialog, CAREER_DIALOG, CAREER_PROMPT, type CareerOptions } from './careerDialog';
import { CareerPrompt } from './careerViews';
import { ExplorerDialog, EXPLORER_DIALOG, type ExplorerOptions } from './explorerDialog';
import { GcseOptionsDialog, GCSE_OPTIONS_DIALOG } from './gcseOptionsDialog';
import { GettingAJobDialog, GETTING_A_JOB_DIALOG } from './gettingAJobDialog';
import { dataOf, type GuidanceServices } from './guidanceServices';
import { AGE_PROMPT, REPLY_PROMPT, type TopicOptions, type TopicResult } from './guidanceTopicDialog';
import { HigherEducationDialog, HIGHER_EDUCATION_DIALOG } from './higherEducationDialog';
import { destinationOf, type Destination } from './messageReader';
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
  /** set when a dialog handed back a question it does not answer */
  switchTo?: Destination;
}

/**
 * The router, a waterfall: reads the pupil's message (MessageReader: guidance answers and careers
 * together) and opens the dialog for it: a guidance topic, a job's profile (CareerDialog) or the
 * careers explorer (ExplorerDialog); when that dialog ends, opens the one it handed back or
 * offers the menu. With no dialog under way it answers "help", "bye" and "menu" itself (inside
 * one, its prompts do: CancelAndHelpPrompt), and asks the pupil to rephrase what it cannot place.
 *
 * It holds the conversation's dialogs (itself, the topics, careers and their prompts) in one
 * DialogSet on the `dialogState` property, and `run` takes them a turn further, as the BotBuilder
 * core-bot sample's MainDialog.run does.
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
      .add(new CareerDialog(services))
      .add(new ExplorerDialog(services))
      .add(new CancelAndHelpPrompt(AGE_PROMPT, services))
      .add(new AnswerPrompt(REPLY_PROMPT, services))
      .add(new CareerPrompt(CAREER_PROMPT, services));
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

  /** Opens the dialog for the message (or the one handed back), or answers a command or a message it cannot place. */
  private async routeStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const { content, reader } = this.services;
    const { context } = step;
    const data = await dataOf(this.services, context);
    if (step.options.switchTo) return this.open(step, step.options.switchTo);
    const reading = reader.read(context, context.activity.text ?? '', { career: data.career });
    const target = destinationOf(reading);
    if (target) {
      data.notUnderstoodInARow = 0;
      return this.open(step, target);
    }
    if (reading.kind === 'command' && reading.command === 'help') {
      await context.sendActivities([textReply(content.answer('menu.help').text), menuReply(content)]);
    } else if (reading.kind === 'command' && reading.command === 'bye') {
      await context.sendActivity(textReply(content.answer('menu.goodbye').text));
    } else if (reading.kind === 'command') {
      await context.sendActivity(menuReply(content));
    } else {
      await replyNotUnderstood(
        this.services,
        context,
        data,
        content.topics.map((topic) => topic.label),
      );
    }
    return step.endDialog();
  }

  private async open(step: WaterfallStepContext<RouteOptions>, target: Destination): Promise<DialogTurnResult> {
    switch (target.kind) {
      case 'guidance':
        return step.beginDialog(topicDialogs[target.topic], { answerId: target.answerId } satisfies TopicOptions);
      case 'career':
        return step.beginDialog(CAREER_DIALOG, { careerId: target.careerId, aspect: target.aspect } satisfies CareerOptions);
      case 'interest':
        return step.beginDialog(EXPLORER_DIALOG, { interests: target.interests, answered: 0, named: true } satisfies ExplorerOptions);
      case 'explore':
        return step.beginDialog(EXPLORER_DIALOG, { interests: [], answered: 0 } satisfies ExplorerOptions);
    }
  }

  /** A dialog has ended: open the one it handed back, or offer the menu. */
  private async afterTopicStep(step: WaterfallStepContext<RouteOptions>): Promise<DialogTurnResult> {
    const result: TopicResult | undefined = step.result;
    if (result?.switchTo) return step.replaceDialog(this.id, { switchTo: result.switchTo } satisfies RouteOptions);
    await step.context.sendActivity(menuReply(this.services.content));
    return step.endDialog();
  }
}

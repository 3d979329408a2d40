import type { TurnContext } from 'botbuilder';
import { WaterfallDialog, type DialogContext, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/schema';
import { ApprenticeshipsDialog, APPRENTICESHIPS_DIALOG } from './apprenticeshipsDialog';
import { GcseOptionsDialog, GCSE_OPTIONS_DIALOG } from './gcseOptionsDialog';
import { GettingAJobDialog, GETTING_A_JOB_DIALOG } from './gettingAJobDialog';
import { dataOf, type GuidanceServices } from './guidanceServices';
import type { TopicOptions, TopicResult } from './guidanceTopicDialog';
import { HigherEducationDialog, HIGHER_EDUCATION_DIALOG } from './higherEducationDialog';
import { InterruptibleDialog } from './interruptibleDialog';
import { replyNotUnderstood } from './notUnderstood';
import { Post16Dialog, POST16_DIALOG } from './post16Dialog';
import { readProfileMentions } from './pupilProfile';
import { menuReply, textReply } from './replies';

export const MAIN_DIALOG = 'mainDialog';
const ROUTE = 'route';

const topicDialogs: Record<TopicId, string> = {
  gcse: GCSE_OPTIONS_DIALOG,
  post16: POST16_DIALOG,
  apprenticeships: APPRENTICESHIPS_DIALOG,
  'higher-education': HIGHER_EDUCATION_DIALOG,
  jobs: GETTING_A_JOB_DIALOG,
};

interface MainOptions {
  /** set when a topic handed back a question about another topic */
  switchTo?: TopicResult['switchTo'];
}

/**
 * The router: reads the pupil's message, opens the topic dialog for it, and switches topic when
 * a topic dialog hands back a question about another one. Interruptions live in its base.
 */
export class MainDialog extends InterruptibleDialog {
  constructor(services: GuidanceServices) {
    super(MAIN_DIALOG, services);
    this.addDialog(new GcseOptionsDialog(services));
    this.addDialog(new Post16Dialog(services));
    this.addDialog(new ApprenticeshipsDialog(services));
    this.addDialog(new HigherEducationDialog(services));
    this.addDialog(new GettingAJobDialog(services));
    this.addDialog(new WaterfallDialog<MainOptions>(ROUTE, [this.route.bind(this), this.afterTopic.bind(this)]));
    this.initialDialogId = ROUTE;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: MainOptions): Promise<DialogTurnResult> {
    await this.noteProfile(innerDc.context);
    return super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    await this.noteProfile(innerDc.context);
    return super.onContinueDialog(innerDc);
  }

  /** Remembers an age or year group the pupil mentions in passing, so answers fit them. */
  private async noteProfile(context: TurnContext): Promise<void> {
    const mentioned = readProfileMentions(context.activity.text ?? '');
    if (mentioned.age === undefined && mentioned.yearGroup === undefined) return;
    const data = await dataOf(this.services, context);
    data.profile = { ...data.profile, ...mentioned };
  }

  private async route(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const { content, router } = this.services;
    const data = await dataOf(this.services, step.context);
    const target = step.options?.switchTo ?? this.routeMessage(step.context);
    if (target) {
      data.notUnderstoodInARow = 0;
      return step.beginDialog(topicDialogs[target.topic], { answerId: target.answerId } satisfies TopicOptions);
    }
    const route = router.routeInTurn(step.context, step.context.activity.text ?? '');
    if (route.kind === 'command' && route.command === 'help') {
      await step.context.sendActivities([textReply(content.answer('menu.help').text), menuReply(content)]);
    } else if (route.kind === 'command' && route.command === 'bye') {
      await step.context.sendActivity(textReply(content.answer('menu.goodbye').text));
    } else if (route.kind === 'command') {
      await step.context.sendActivity(menuReply(content));
    } else {
      await replyNotUnderstood(this.services, step.context, data, content.topics.map((topic) => topic.label));
    }
    return step.endDialog();
  }

  private routeMessage(context: TurnContext): TopicResult['switchTo'] {
    const route = this.services.router.routeInTurn(context, context.activity.text ?? '');
    return route.kind === 'answer' ? { answerId: route.answer.id, topic: route.topic } : undefined;
  }

  private async afterTopic(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const result: TopicResult | undefined = step.result;
    if (result?.switchTo) return step.replaceDialog(ROUTE, { switchTo: result.switchTo } satisfies MainOptions);
    await step.context.sendActivity(menuReply(this.services.content));
    return step.endDialog();
  }
}

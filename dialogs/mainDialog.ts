import type { TurnContext } from 'botbuilder';
import { Dialog, TextPrompt, type DialogContext, type DialogReason, type DialogTurnResult } from 'botbuilder-dialogs';
import type { TopicId } from '../knowledge/schema';
import { ApprenticeshipsDialog, APPRENTICESHIPS_DIALOG } from './apprenticeshipsDialog';
import { GcseOptionsDialog, GCSE_OPTIONS_DIALOG } from './gcseOptionsDialog';
import { GettingAJobDialog, GETTING_A_JOB_DIALOG } from './gettingAJobDialog';
import { dataOf, type GuidanceServices } from './guidanceServices';
import { AGE_PROMPT, flattenTopicStacks, REPLY_PROMPT, type TopicOptions, type TopicResult } from './guidanceTopicDialog';
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
const topicDialogIds: ReadonlySet<string> = new Set(Object.values(topicDialogs));

interface MainOptions {
  /** set when a topic handed back a question about another topic */
  switchTo?: TopicResult['switchTo'];
}

/**
 * The main dialog's one child that is always there: it routes a message to a topic dialog when it
 * begins, and when that topic ends, switches topic or offers the menu. It was a two-step
 * waterfall; a plain dialog does the same without a step context and an instance id per turn.
 * Stacks saved by the waterfall resume here: its first step always began a topic or ended, so a
 * saved `route` only ever waits for its topic to end (resumeDialog).
 */
class RouteDialog extends Dialog<MainOptions> {
  constructor(private readonly main: MainDialog) {
    super(ROUTE);
  }

  override beginDialog(dc: DialogContext, options?: MainOptions): Promise<DialogTurnResult> {
    return this.main.route(dc, options);
  }

  override resumeDialog(dc: DialogContext, _reason: DialogReason, result?: TopicResult): Promise<DialogTurnResult> {
    return this.main.afterTopic(dc, result);
  }

  /** Only a stack saved in an unexpected shape has this dialog waiting on top: as the waterfall's last step would, offer the menu. */
  override continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    return this.main.afterTopic(dc, undefined);
  }
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
    this.addDialog(new RouteDialog(this));
    // Only for conversations saved while a topic's flow waited under a prompt (see guidanceTopicDialog).
    this.addDialog(new TextPrompt(REPLY_PROMPT));
    this.addDialog(new TextPrompt(AGE_PROMPT));
    this.initialDialogId = ROUTE;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: MainOptions): Promise<DialogTurnResult> {
    await this.noteProfile(innerDc.context);
    return super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    // A conversation saved while topics were component dialogs carries on in the flat form.
    flattenTopicStacks(innerDc.stack, topicDialogIds);
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

  /** Opens the topic dialog for the message (or the topic handed back), or answers a command or a message it cannot place. */
  async route(dc: DialogContext, options?: MainOptions): Promise<DialogTurnResult> {
    const { content, router } = this.services;
    const { context } = dc;
    const data = await dataOf(this.services, context);
    const target = options?.switchTo ?? this.routeMessage(context);
    if (target) {
      data.notUnderstoodInARow = 0;
      return dc.beginDialog(topicDialogs[target.topic], { answerId: target.answerId } satisfies TopicOptions);
    }
    const route = router.routeInTurn(context, context.activity.text ?? '');
    if (route.kind === 'command' && route.command === 'help') {
      await context.sendActivities([textReply(content.answer('menu.help').text), menuReply(content)]);
    } else if (route.kind === 'command' && route.command === 'bye') {
      await context.sendActivity(textReply(content.answer('menu.goodbye').text));
    } else if (route.kind === 'command') {
      await context.sendActivity(menuReply(content));
    } else {
      await replyNotUnderstood(this.services, context, data, content.topics.map((topic) => topic.label));
    }
    return dc.endDialog();
  }

  private routeMessage(context: TurnContext): TopicResult['switchTo'] {
    const route = this.services.router.routeInTurn(context, context.activity.text ?? '');
    return route.kind === 'answer' ? { answerId: route.answer.id, topic: route.topic } : undefined;
  }

  /** A topic has ended: switch to the topic it handed back, or offer the menu. */
  async afterTopic(dc: DialogContext, result: TopicResult | undefined): Promise<DialogTurnResult> {
    if (result?.switchTo) return dc.replaceDialog(ROUTE, { switchTo: result.switchTo } satisfies MainOptions);
    await dc.context.sendActivity(menuReply(this.services.content));
    return dc.endDialog();
  }
}

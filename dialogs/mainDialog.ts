import { ActivityTypes, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  Dialog,
  DialogSet,
  DialogTurnStatus,
  TextPrompt,
  type DialogContext,
  type DialogInstance,
  type DialogReason,
  type DialogState,
  type DialogStateManagerConfiguration,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { continueActiveDialog } from './continueActiveDialog';
import type { TopicId } from '../knowledge/schema';
import { ApprenticeshipsDialog, APPRENTICESHIPS_DIALOG } from './apprenticeshipsDialog';
import { GcseOptionsDialog, GCSE_OPTIONS_DIALOG } from './gcseOptionsDialog';
import { GettingAJobDialog, GETTING_A_JOB_DIALOG } from './gettingAJobDialog';
import { dataOf, type GuidanceServices } from './guidanceServices';
import { AGE_PROMPT, flattenTopicStacks, REPLY_PROMPT, type TopicOptions, type TopicResult } from './guidanceTopicDialog';
import { HigherEducationDialog, HIGHER_EDUCATION_DIALOG } from './higherEducationDialog';
import { replyNotUnderstood } from './notUnderstood';
import { Post16Dialog, POST16_DIALOG } from './post16Dialog';
import { readProfileMentions } from './pupilProfile';
import { menuReply, textReply } from './replies';

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
 * Where botbuilder-dialogs' DialogStateManager looks in turnState for its memory scopes and path
 * resolvers (memory/dialogStateManager.js). Absent, the turn's first state manager builds them.
 */
const STATE_CONFIGURATION_KEY = 'DialogStateManagerConfiguration';

/** The id the main dialog had while it was a component dialog holding the rest (see `run`). */
export const MAIN_DIALOG = 'mainDialog';

/**
 * The router: reads the pupil's message, opens the topic dialog for it, and switches topic when
 * a topic dialog hands back a question about another one; "menu", "start again", "help" and
 * "bye" work inside any topic (interrupt).
 *
 * Its dialogs (the route, the topics, and the prompts of conversations saved long ago) are one
 * flat dialog set on the conversation's `dialogState`, run by `run` once a turn: one dialog
 * context a turn. Until the seventh session the main dialog was a component dialog holding them
 * (and, before that, each topic a component dialog holding its flow), which cost the turn a
 * dialog context and a memory-scope set-up for each level; stacks saved in those forms are
 * flattened as they resume.
 */
export class MainDialog {
  readonly dialogs: DialogSet;
  /** made on the first turn and handed to every later one (see run) */
  private stateConfiguration?: DialogStateManagerConfiguration;

  constructor(
    private readonly services: GuidanceServices,
    dialogState: StatePropertyAccessor<DialogState>,
  ) {
    this.dialogs = new DialogSet(dialogState);
    this.dialogs.add(new GcseOptionsDialog(services));
    this.dialogs.add(new Post16Dialog(services));
    this.dialogs.add(new ApprenticeshipsDialog(services));
    this.dialogs.add(new HigherEducationDialog(services));
    this.dialogs.add(new GettingAJobDialog(services));
    this.dialogs.add(new RouteDialog(this));
    // Only for conversations saved while a topic's flow waited under a prompt (see guidanceTopicDialog).
    this.dialogs.add(new TextPrompt(REPLY_PROMPT));
    this.dialogs.add(new TextPrompt(AGE_PROMPT));
  }

  /**
   * One turn of the dialogs: what botbuilder's runDialog does for a bot like this one, without
   * the memory scopes and skill plumbing it builds afresh on every turn, and without the
   * "activityReceived" event (see continueActiveDialog), none of which these dialogs use.
   */
  async run(context: TurnContext): Promise<void> {
    // The memory scopes hold no turn's data (DialogManager keeps one set for its lifetime too):
    // made on the first turn and handed to every later one, instead of built afresh each turn.
    if (this.stateConfiguration) context.turnState.set(STATE_CONFIGURATION_KEY, this.stateConfiguration);
    const dc = await this.dialogs.createContext(context);
    this.stateConfiguration ??= dc.state.configuration;
    flattenSavedStack(dc.stack);
    await this.noteProfile(context);
    const interrupted = await this.interrupt(dc);
    const result = interrupted ?? (await continueActiveDialog(dc));
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(ROUTE);
  }

  /** Remembers an age or year group the pupil mentions in passing, so answers fit them. */
  private async noteProfile(context: TurnContext): Promise<void> {
    const mentioned = readProfileMentions(context.activity.text ?? '');
    if (mentioned.age === undefined && mentioned.yearGroup === undefined) return;
    const data = await dataOf(this.services, context);
    data.profile = { ...data.profile, ...mentioned };
  }

  /**
   * "menu", "bye" and "help" inside a topic, as in the BotBuilder samples' CancelAndHelpDialog;
   * undefined for everything else, which goes on to the dialog itself. With nothing under way
   * the route answers them.
   */
  private async interrupt(dc: DialogContext): Promise<DialogTurnResult | undefined> {
    const activity = dc.context.activity;
    if (!dc.activeDialog || activity.type !== ActivityTypes.Message || !activity.text) return undefined;
    const route = this.services.router.routeInTurn(dc.context, activity.text);
    if (route.kind !== 'command') return undefined;
    const { content } = this.services;
    switch (route.command) {
      case 'menu':
        await dc.cancelAllDialogs();
        await dc.context.sendActivity(menuReply(content));
        return { status: DialogTurnStatus.cancelled };
      case 'bye':
        await dc.cancelAllDialogs();
        await dc.context.sendActivity(textReply(content.answer('menu.goodbye').text));
        return { status: DialogTurnStatus.cancelled };
      case 'help':
        await dc.context.sendActivity(textReply(content.answer('menu.help').text));
        await dc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      default:
        // "back" and "more" mean something inside a topic; the topic dialog handles them.
        return undefined;
    }
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

/**
 * A stack saved while the main dialog was a component dialog (`[{id: 'mainDialog', state:
 * {dialogs: {dialogStack: [...]}}}]`) becomes the stack it held, in place; then any topic saved
 * as a component dialog is flattened too (flattenTopicStacks).
 */
function flattenSavedStack(stack: DialogInstance[]): void {
  if (stack.length === 1 && stack[0].id === MAIN_DIALOG) {
    const dialogs: unknown = (stack[0].state as { dialogs?: unknown } | undefined)?.dialogs;
    const inner: unknown = typeof dialogs === 'object' && dialogs !== null ? (dialogs as { dialogStack?: unknown }).dialogStack : undefined;
    stack.splice(0, 1, ...(Array.isArray(inner) ? (inner as DialogInstance[]) : []));
  }
  flattenTopicStacks(stack, topicDialogIds);
}

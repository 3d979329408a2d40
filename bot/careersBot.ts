import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { runDialog, type DialogState } from 'botbuilder-dialogs';
import { AnswerRouter } from '../dialogs/answerRouter';
import type { ConversationData } from '../dialogs/conversationData';
import type { GuidanceServices } from '../dialogs/guidanceServices';
import { MainDialog } from '../dialogs/mainDialog';
import { warmRecognizers } from '../dialogs/pupilProfile';
import { fill, menuReply, textReply } from '../dialogs/replies';
import type { Content } from '../knowledge/loadContent';
import type { Clock } from './ports';

/** Answer ids the bot and its dialogs name in code; start-up fails if content lacks one. */
export const BOT_ANSWER_IDS = [
  'welcome.intro',
  'welcome.privacy',
  'welcome.help-any-time',
  'menu.prompt',
  'menu.help',
  'menu.goodbye',
  'dialog.rephrase',
  'dialog.offer-adviser',
  'prompt.age',
  'button.more',
  'button.back',
  'button.menu',
  'error.turn',
] as const;

export interface CareersBotOptions {
  retentionDays: number;
  clock: Clock;
}

/**
 * The pupil-facing bot: a welcome that says what it is, then the guidance dialogs. Triage and
 * safeguarding come with their own issue and will run before the dialogs.
 */
export class CareersBot extends ActivityHandler {
  private readonly data: StatePropertyAccessor<ConversationData>;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialog: MainDialog;

  constructor(
    private readonly content: Content,
    private readonly conversationState: ConversationState,
    private readonly options: CareersBotOptions,
  ) {
    super();
    this.data = conversationState.createProperty<ConversationData>('conversationData');
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    const services: GuidanceServices = { content, router: new AnswerRouter(content), now: () => options.clock.now(), conversationData: this.data };
    this.dialog = new MainDialog(services);
    warmRecognizers();

    this.onMembersAdded(async (context, next) => {
      const pupils = (context.activity.membersAdded ?? []).filter((member) => member.id !== context.activity.recipient?.id);
      if (pupils.length > 0) await this.welcome(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await runDialog(this.dialog, context, this.dialogState);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
  }

  private async welcome(context: TurnContext): Promise<void> {
    await context.sendActivities([
      textReply(this.content.answer('welcome.intro').text),
      textReply(fill(this.content.answer('welcome.privacy').text, { retentionDays: this.options.retentionDays })),
      textReply(this.content.answer('welcome.help-any-time').text),
      menuReply(this.content),
    ]);
  }
}

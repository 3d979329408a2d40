import { ActivityHandler, type ConversationState, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { AnswerRouter } from '../dialogs/answerRouter';
import type { Content } from '../knowledge/loadContent';
import { emptyConversationData, type ConversationData } from './conversationData';
import { fill, menuReply, textReply } from './replies';

/** Answer ids the bot names in code; start-up fails if content lacks one. */
export const BOT_ANSWER_IDS = ['welcome.intro', 'welcome.privacy', 'welcome.help-any-time', 'menu.prompt', 'menu.not-understood', 'error.turn'] as const;

export interface CareersBotOptions {
  retentionDays: number;
}

/**
 * The pupil-facing bot: welcome, main menu and topic routing. Topic answers are placeholders
 * until the guidance dialogs land (issue 3); triage and safeguarding come with issue 4.
 */
export class CareersBot extends ActivityHandler {
  private readonly router: AnswerRouter;
  private readonly data: StatePropertyAccessor<ConversationData>;

  constructor(
    private readonly content: Content,
    private readonly conversationState: ConversationState,
    private readonly options: CareersBotOptions,
  ) {
    super();
    this.router = new AnswerRouter(content);
    this.data = conversationState.createProperty<ConversationData>('conversationData');
    this.onMembersAdded(async (context, next) => {
      const pupils = (context.activity.membersAdded ?? []).filter((member) => member.id !== context.activity.recipient?.id);
      if (pupils.length > 0) await this.welcome(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.answer(context);
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

  private async answer(context: TurnContext): Promise<void> {
    const data = await this.data.get(context, emptyConversationData());
    const route = this.router.route(context.activity.text ?? '');
    if (route.kind === 'answer') {
      data.notUnderstoodInARow = 0;
      data.lastTopic = route.topic;
      await context.sendActivities([textReply(route.answer.text), menuReply(this.content)]);
      return;
    }
    if (route.kind === 'command') {
      await context.sendActivity(menuReply(this.content));
      return;
    }
    data.notUnderstoodInARow += 1;
    await context.sendActivity(menuReply(this.content, 'menu.not-understood'));
  }
}

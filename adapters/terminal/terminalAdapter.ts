import { randomBytes } from 'node:crypto';
import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';

type TurnLogic = (context: TurnContext) => Promise<void>;

/** A BotAdapter for a terminal: the pupil types lines, the bot's replies are printed. */
export class TerminalAdapter extends BotAdapter {
  private readonly reference: Partial<ConversationReference> = {
    channelId: 'terminal',
    serviceUrl: 'urn:terminal',
    conversation: { id: `terminal-${randomBytes(4).toString('hex')}`, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: 'pupil', name: 'You' },
    bot: { id: 'careers-bot', name: 'Careers bot' },
  };

  constructor(private readonly print: (activity: Partial<Activity>) => void) {
    super();
  }

  start(logic: TurnLogic): Promise<void> {
    const user = this.reference.user ?? { id: 'pupil', name: 'You' };
    return this.receive({ type: ActivityTypes.ConversationUpdate, membersAdded: [user] }, logic);
  }

  say(text: string, logic: TurnLogic): Promise<void> {
    return this.receive({ type: ActivityTypes.Message, text }, logic);
  }

  private receive(partial: Partial<Activity>, logic: TurnLogic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ ...partial, id: randomBytes(4).toString('hex'), timestamp: new Date() }, this.reference, true);
    return this.runMiddleware(new TurnContext(this, activity), logic);
  }

  override async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    for (const activity of activities) if (activity.type === ActivityTypes.Message) this.print(activity);
    return activities.map(() => ({ id: randomBytes(4).toString('hex') }));
  }

  override updateActivity(): Promise<void> {
    return Promise.reject(new Error('TerminalAdapter.updateActivity(): not supported'));
  }

  override deleteActivity(): Promise<void> {
    return Promise.reject(new Error('TerminalAdapter.deleteActivity(): not supported'));
  }

  override continueConversation(): Promise<void> {
    return Promise.reject(new Error('TerminalAdapter.continueConversation(): not supported'));
  }
}

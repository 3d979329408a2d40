import { ActivityTypes } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { GuidanceServices } from './guidanceServices';
import { menuReply, textReply } from './replies';

/**
 * What a pupil can say at any point of a dialog, as in the BotBuilder core-bot sample's
 * CancelAndHelpDialog: "menu" (or "start again") and "bye" end every dialog under way, with the
 * menu or a goodbye; "help" explains and asks the current question again. Everything else goes
 * on to the dialog. With no dialog under way the main dialog answers these words itself.
 */
export abstract class CancelAndHelpDialog<O extends object = {}> extends ComponentDialog<O> {
  protected constructor(
    id: string,
    protected readonly services: GuidanceServices,
  ) {
    super(id);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const { activity } = innerDc.context;
    if (activity.type !== ActivityTypes.Message || !activity.text) return undefined;
    const route = this.services.router.routeInTurn(innerDc.context, activity.text);
    if (route.kind !== 'command') return undefined;
    const { content } = this.services;
    switch (route.command) {
      case 'menu':
        await innerDc.context.sendActivity(menuReply(content));
        // The dialogs this one runs under too: the menu starts the conversation afresh.
        return innerDc.cancelAllDialogs(true);
      case 'bye':
        await innerDc.context.sendActivity(textReply(content.answer('menu.goodbye').text));
        return innerDc.cancelAllDialogs(true);
      case 'help':
        await innerDc.context.sendActivity(textReply(content.answer('menu.help').text));
        await innerDc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      default:
        // "back" and "more" mean something inside a topic; the topic handles them.
        return undefined;
    }
  }
}

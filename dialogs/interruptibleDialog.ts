import { ActivityTypes } from 'botbuilder';
import { ComponentDialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { continueActiveDialog } from './continueActiveDialog';
import type { GuidanceServices } from './guidanceServices';
import { menuReply, textReply } from './replies';

/**
 * "menu", "start again", "help" and "bye" work inside any dialog, as in the BotBuilder samples'
 * CancelAndHelpDialog. Everything else goes on to the dialog itself.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  constructor(
    id: string,
    protected readonly services: GuidanceServices,
  ) {
    super(id);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const interrupted = await this.interrupt(innerDc);
    return interrupted ?? continueActiveDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const activity = innerDc.context.activity;
    if (activity.type !== ActivityTypes.Message || !activity.text) return undefined;
    const route = this.services.router.routeInTurn(innerDc.context, activity.text);
    if (route.kind !== 'command') return undefined;
    const { content } = this.services;
    switch (route.command) {
      case 'menu':
        await innerDc.cancelAllDialogs();
        await innerDc.context.sendActivity(menuReply(content));
        return { status: DialogTurnStatus.cancelled };
      case 'bye':
        await innerDc.cancelAllDialogs();
        await innerDc.context.sendActivity(textReply(content.answer('menu.goodbye').text));
        return { status: DialogTurnStatus.cancelled };
      case 'help':
        await innerDc.context.sendActivity(textReply(content.answer('menu.help').text));
        await innerDc.repromptDialog();
        return { status: DialogTurnStatus.waiting };
      default:
        // "back" and "more" mean something inside a topic; the topic dialog handles them.
        return undefined;
    }
  }
}

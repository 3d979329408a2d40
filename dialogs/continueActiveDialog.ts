import { DialogContextError, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';

/**
 * DialogContext.continueDialog() without the "activityReceived" dialog event it sends first on
 * each turn. Sending it walks the stack down to the innermost dialog, building a DialogContext
 * and state manager for every container on the way, then offers the event to each dialog back
 * up; only adaptive dialogs act on it, and none of this bot's dialogs are adaptive. The rest is
 * what continueDialog() does: continue the active dialog, or report an empty stack, with errors
 * wrapped in DialogContextError.
 */
export async function continueActiveDialog(dc: DialogContext): Promise<DialogTurnResult> {
  const instance = dc.activeDialog;
  if (!instance) return { status: DialogTurnStatus.empty };
  const dialog = dc.findDialog(instance.id);
  if (!dialog) throw new DialogContextError(`DialogContext.continueDialog(): Can't continue dialog. A dialog with an id of '${instance.id}' wasn't found.`, dc);
  try {
    return await dialog.continueDialog(dc);
  } catch (error) {
    if (error instanceof DialogContextError) throw error;
    throw new DialogContextError(error instanceof Error || typeof error === 'string' ? error : String(error), dc);
  }
}

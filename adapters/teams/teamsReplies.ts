import { CardFactory, Channels, type Activity, type Attachment, type CardAction, type Middleware, type TurnContext } from 'botbuilder';

/** Teams shows only the first three suggested actions of a message (Teams "Suggested actions" docs). */
export const TEAMS_SUGGESTED_ACTIONS_SHOWN = 3;
/** A hero card in Teams takes at most six buttons (Teams "Cards reference"). */
export const TEAMS_HERO_CARD_BUTTONS = 6;

function heroCardsFor(actions: CardAction[]): Attachment[] {
  const cards: Attachment[] = [];
  for (let start = 0; start < actions.length; start += TEAMS_HERO_CARD_BUTTONS) {
    cards.push({ contentType: CardFactory.contentTypes.heroCard, content: { buttons: actions.slice(start, start + TEAMS_HERO_CARD_BUTTONS) } });
  }
  return cards;
}

/**
 * A reply as Teams can show it. Up to three buttons stay suggested actions (Teams shows them as
 * smart replies under the last message). More than three would be cut to the first three, losing
 * "Back" and "Menu", so they move onto hero card buttons instead: still imBack, so a tap posts the
 * same words as the pupil typing them, and the dialogs see no difference.
 */
export function shapeForTeams(activity: Partial<Activity>): Partial<Activity> {
  const actions = activity.suggestedActions?.actions ?? [];
  if (actions.length <= TEAMS_SUGGESTED_ACTIONS_SHOWN) return activity;
  const { suggestedActions: _moved, ...rest } = activity;
  return { ...rest, attachmentLayout: 'list', attachments: [...(activity.attachments ?? []), ...heroCardsFor(actions)] };
}

/** Reshapes every reply in a Teams conversation, proactive ones included, just before it is sent. */
export class TeamsReplyShaper implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.channelId === Channels.Msteams) {
      context.onSendActivities(async (_context, activities, send) => {
        activities.splice(0, activities.length, ...activities.map(shapeForTeams));
        return send();
      });
    }
    await next();
  }
}

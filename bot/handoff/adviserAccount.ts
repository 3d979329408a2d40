import type { TurnContext } from 'botbuilder';

/** How an adviser's messages appear on the pupil's channel and in the transcript. */
export const ADVISER_ACCOUNT = { id: 'careers-adviser', name: 'Careers adviser', role: 'bot' } as const;

/**
 * TurnContext overwrites an outgoing activity's `from` with the bot, so who speaks in a proactive
 * turn travels in the turn's state, read and written only through the two functions below.
 */
const ADVISER_TURN = Symbol('adviserTurn');

/** Marks a proactive turn as carrying an adviser's words (the web chat shows them as the adviser's, the transcript keeps them so). */
export function speakAsAdviser(context: TurnContext): void {
  context.turnState.set(ADVISER_TURN, true);
}

export function speaksAsAdviser(context: TurnContext): boolean {
  return context.turnState.get<boolean | undefined>(ADVISER_TURN) === true;
}

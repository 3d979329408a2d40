/** How an adviser's messages appear on the pupil's channel and in the transcript. */
export const ADVISER_ACCOUNT = { id: 'careers-adviser', name: 'Careers adviser', role: 'bot' } as const;

/**
 * Marks a proactive turn that carries an adviser's words. (TurnContext overwrites an outgoing
 * activity's `from` with the bot, so the sender travels in the turn state instead.)
 */
export const ADVISER_TURN = Symbol('adviserTurn');

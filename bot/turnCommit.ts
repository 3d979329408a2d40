import type { Middleware, TurnContext } from 'botbuilder';
import type { TurnCommit, TurnCommits } from './ports';

/**
 * Where a turn keeps its unit of work (TurnCommit in ./ports), the way botbuilder's adapters hand
 * a turn its connector client: one key in the turn's state, read and written only here.
 */
const TURN_COMMIT = Symbol('TurnCommit');

/** Hands the turn its unit of work: the channel that runs the turn calls this before the middleware. */
export function attachTurnCommit(context: TurnContext, commit: TurnCommit): void {
  context.turnState.set(TURN_COMMIT, commit);
}

/** The turn's unit of work, or undefined for a turn no channel of this bot runs (botbuilder's TestAdapter). */
export function turnCommitOf(context: TurnContext): TurnCommit | undefined {
  return context.turnState.get<TurnCommit | undefined>(TURN_COMMIT);
}

/**
 * Opens a unit of work for each turn of a channel whose adapter is not ours (CloudAdapter for
 * Teams): registered first, so the transcript recorder and the bot's state find it.
 */
export class TurnCommitMiddleware implements Middleware {
  constructor(private readonly commits: TurnCommits) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const conversationId = context.activity.conversation?.id;
    if (conversationId && !turnCommitOf(context)) attachTurnCommit(context, this.commits.open(conversationId));
    await next();
  }
}

import express, { type Router } from 'express';
import { CloudAdapter, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../bot/ports';
import type { Config } from '../config/config';
import { codeFor, sendError } from '../http/errors';
import { cleanText } from '../http/inputShape';
import { jsonBody } from '../http/jsonBody';
import { ChannelAuthentication } from '../teams/channelAuthentication';
import { ProactiveDelivery } from '../teams/proactiveDelivery';
import { TeamsReplyShaper } from '../teams/teamsReplies';
import { checkChannelActivity, isLoopbackServiceUrl } from './channelActivity';
import { errorMessage } from '../../bot/errorMessage';

export type BotFrameworkMode = 'authenticated' | 'open-development' | 'off';

/**
 * With MicrosoftAppId set, every activity must carry a valid channel token. With none, the
 * endpoint is open only outside production: an open endpoint would send replies to any
 * serviceUrl a stranger names, so in production it is switched off, and in development it takes
 * only a serviceUrl on this machine (the Emulator's).
 */
export function botFrameworkMode(config: Pick<Config, 'MicrosoftAppId' | 'NODE_ENV'>): BotFrameworkMode {
  if (config.MicrosoftAppId) return 'authenticated';
  return config.NODE_ENV === 'production' ? 'off' : 'open-development';
}

/** The turn error handler every adapter is given (bot/turnErrorHandler). */
export type TurnErrorHandler = (context: TurnContext, error: Error) => Promise<void>;

/**
 * What CloudAdapter is left with when a turn could not be completed (the turn error handler
 * passed an eTag conflict back, or failed itself). CloudAdapter answers the channel 500 with the
 * error's message as the body, so this message is the only text that ever leaves; the channel
 * sends the activity again.
 */
export class TurnNotCompletedError extends Error {
  constructor() {
    super('the turn could not be completed; send the activity again');
    this.name = 'TurnNotCompletedError';
  }
}

/**
 * CloudAdapter with the app registration's credentials (see ChannelAuthentication), proactive
 * messages sent as new messages, replies shaped for what Teams can show, and the turn error
 * handler. An error the handler passes back is logged here and handed on as TurnNotCompletedError.
 */
export function createCloudAdapter(config: Config, onTurnError: TurnErrorHandler, logger: Logger): CloudAdapter {
  const adapter = new CloudAdapter(new ChannelAuthentication(config));
  adapter.use(new ProactiveDelivery(), new TeamsReplyShaper());
  adapter.onTurnError = async (context, error) => {
    try {
      await onTurnError(context, error);
    } catch (passedBack) {
      logger.warn('/api/messages turn not completed', { channel: context.activity.channelId, activityType: context.activity.type, error: errorMessage(passedBack) });
      throw new TurnNotCompletedError();
    }
  };
  return adapter;
}

export interface BotFrameworkRouterDeps {
  adapter: CloudAdapter;
  logic: (context: TurnContext) => Promise<void>;
  mode: Exclude<BotFrameworkMode, 'off'>;
}

/**
 * POST /api/messages: the Bot Framework messaging endpoint (Teams and other channels), handed
 * to CloudAdapter with express's own request and response, as botbuilder's samples do. The body
 * is checked first (a malformed activity is a 400 here, not a 500 inside CloudAdapter). What
 * CloudAdapter answers itself: 200 for a turn done, 401 for a token it refused, and 500 with
 * TurnNotCompletedError's message for a turn it could not complete (the turn error handler
 * answers every other failure inside the turn, so no internal error text reaches the body).
 */
export function createBotFrameworkRouter(deps: BotFrameworkRouterDeps): Router {
  if (!deps.adapter.onTurnError) throw new Error('createBotFrameworkRouter(): the adapter has no turn error handler (createCloudAdapter gives it one)');
  const router = express.Router();
  router.post('/api/messages', jsonBody('64kb'), async (req, res) => {
    const check = checkChannelActivity(req.body);
    if (!check.ok) return sendError(res, 400, codeFor(400), check.reason);
    const { type, serviceUrl, text } = z.object({ type: z.string(), serviceUrl: z.string(), text: z.string().optional() }).parse(req.body);
    // The bot answers no invoke (no cards with actions, sign-in or message extensions): refused here
    // as the caller's mistake, where the SDK would answer 501 Not Implemented.
    if (type === 'invoke') return sendError(res, 400, codeFor(400), 'this bot handles no invoke activities');
    if (text !== undefined) req.body.text = cleanText(text);
    if (deps.mode === 'open-development' && !isLoopbackServiceUrl(serviceUrl)) {
      return sendError(res, 400, codeFor(400), 'without MicrosoftAppId the serviceUrl must be on this machine (localhost or 127.0.0.1)');
    }
    await deps.adapter.process(req, res, deps.logic);
  });
  return router;
}
